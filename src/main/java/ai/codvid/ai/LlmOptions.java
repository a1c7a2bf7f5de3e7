package ai.codvid.ai;

import ai.codvid.config.AppConfig;

/**
 * Settings of the AI chat, read from the {@code llm.*} keys (each overridable by its
 * {@code CODVID_LLM_*} environment variable).
 *
 * @param baseUrl {@code llm.base_url}: an OpenAI-compatible API root such as
 *     {@code https://api.openai.com/v1}; the client posts to {@code {baseUrl}/chat/completions}.
 *     With no base URL or no model the built-in assistant answers.
 * @param apiKey {@code llm.api_key}, sent as {@code Authorization: Bearer}; optional (local servers)
 * @param model {@code llm.model}
 * @param timeoutSeconds {@code llm.timeout_seconds} (default 60): connect timeout and the longest
 *     silence of the provider within one call
 * @param maxAttempts {@code llm.max_attempts} (default 3): attempts of one call while nothing was
 *     streamed yet (429, 5xx, timeouts and connection errors are retried)
 * @param initialBackoffMillis {@code llm.initial_backoff_ms} (default 500), doubled per retry
 * @param maxBackoffMillis {@code llm.max_backoff_ms} (default 8000): cap of one wait, Retry-After included
 * @param maxToolRounds {@code llm.max_tool_rounds} (default 4): rounds of tool calls per answer
 * @param maxHistoryMessages {@code llm.max_history_messages} (default 20): earlier user and
 *     assistant messages of the chat sent to the model
 * @param maxAnswerSeconds {@code llm.max_answer_seconds} (default 300): an answer is stopped
 *     after this long; also the lifetime of the per-project answer lock
 * @param temperature {@code llm.temperature}; not sent when unset
 */
public record LlmOptions(String baseUrl, String apiKey, String model, int timeoutSeconds, int maxAttempts,
    long initialBackoffMillis, long maxBackoffMillis, int maxToolRounds, int maxHistoryMessages,
    int maxAnswerSeconds, Double temperature) {

  public LlmOptions {
    baseUrl = blankToNull(baseUrl);
    baseUrl = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
    apiKey = blankToNull(apiKey);
    model = blankToNull(model);
    require(timeoutSeconds >= 1, "llm.timeout_seconds must be at least 1");
    require(maxAttempts >= 1, "llm.max_attempts must be at least 1");
    require(initialBackoffMillis >= 1, "llm.initial_backoff_ms must be at least 1");
    require(maxBackoffMillis >= initialBackoffMillis, "llm.max_backoff_ms must be at least llm.initial_backoff_ms");
    require(maxToolRounds >= 0, "llm.max_tool_rounds must not be negative");
    require(maxHistoryMessages >= 0, "llm.max_history_messages must not be negative");
    require(maxAnswerSeconds >= 1, "llm.max_answer_seconds must be at least 1");
  }

  public static LlmOptions from(AppConfig config) {
    Object temperature = config.value("llm.temperature");
    return new LlmOptions(
        config.string("llm.base_url", null),
        config.string("llm.api_key", null),
        config.string("llm.model", null),
        config.integer("llm.timeout_seconds", 60),
        config.integer("llm.max_attempts", 3),
        config.longValue("llm.initial_backoff_ms", 500),
        config.longValue("llm.max_backoff_ms", 8000),
        config.integer("llm.max_tool_rounds", 4),
        config.integer("llm.max_history_messages", 20),
        config.integer("llm.max_answer_seconds", 300),
        temperature == null ? null : config.decimal("llm.temperature", 0));
  }

  /** True when a provider is configured (base URL and model); otherwise the built-in assistant answers. */
  public boolean providerConfigured() {
    return baseUrl != null && model != null;
  }

  public long timeoutMillis() {
    return timeoutSeconds * 1000L;
  }

  @Override
  public String toString() {
    return "LlmOptions[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***") + ", model=" + model
        + ", timeoutSeconds=" + timeoutSeconds + ", maxAttempts=" + maxAttempts + ", maxToolRounds=" + maxToolRounds
        + ", maxHistoryMessages=" + maxHistoryMessages + ", maxAnswerSeconds=" + maxAnswerSeconds + "]";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}

using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Klaviyo settings as they come from configuration (e.g. the <c>Klaviyo</c> section of appsettings.json or
/// environment variables like <c>Klaviyo__ApiKey</c>). <see cref="ToOptions"/> turns them into <see cref="KlaviyoOptions"/>.
/// </summary>
public sealed class KlaviyoSettings
{
    /// <summary>A private API key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>An OAuth access token (wins over <see cref="ApiKey"/>).</summary>
    public string? AccessToken { get; set; }

    /// <summary>The API host; <c>a.klaviyo.com</c> by default.</summary>
    public string Host { get; set; } = KlaviyoOptions.Default.Host;

    /// <summary>The port; the protocol's default when unset.</summary>
    public int? Port { get; set; }

    /// <summary><c>https</c> (default) or <c>http</c>.</summary>
    public string Protocol { get; set; } = KlaviyoOptions.Default.Protocol;

    /// <summary>A base path before every operation's path.</summary>
    public string Path { get; set; } = "";

    /// <summary>The API revision; the catalog's when unset.</summary>
    public string? Revision { get; set; }

    /// <summary>The per-request timeout in seconds; 60 by default.</summary>
    public double TimeoutSeconds { get; set; } = ClientOptions.Default.Timeout.TotalSeconds;

    /// <summary><c>linear</c>, <c>exponential</c>, or unset for no retry.</summary>
    public string? Retry { get; set; }

    /// <summary>Retries after the first send; 3 by default.</summary>
    public int MaxRetries { get; set; } = RetryOptions.Default.MaxRetries;

    /// <summary>The linear retry wait in milliseconds; 0 by default.</summary>
    public int RetryInMilliseconds { get; set; }

    /// <summary>Pace requests by each operation's catalog rate limits.</summary>
    public bool RateLimit { get; set; }

    /// <summary>Extra headers sent on every request.</summary>
    public Dictionary<string, string> Headers { get; set; } = new();

    /// <summary>
    /// Keep <see cref="Retry"/> even when the HttpClient has a resilience handler of its own (Polly,
    /// <c>AddStandardResilienceHandler</c>). Off by default: retries then happen in one place, the resilience handler,
    /// and the library's are switched off with a warning — otherwise each of its tries would be retried again (2 × 3).
    /// </summary>
    public bool RetryWithResilienceHandler { get; set; }

    /// <summary>
    /// Every problem with these settings, for a person (empty when they are fine): the values the library itself would
    /// refuse (protocol, host, port, path, revision, timeouts, retry settings, credentials) and the ones only settings
    /// have (an unknown <see cref="Retry"/>). <c>AddKlaviyo</c> checks them when the host starts.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var retry = Retry?.Trim().ToLowerInvariant();
        if (retry is not (null or "" or "none" or "linear" or "exponential"))
            problems.Add($"Klaviyo:Retry must be 'linear', 'exponential' or empty, not '{Retry}'");
        if (
            !double.IsFinite(TimeoutSeconds)
            || TimeoutSeconds <= 0
            || TimeoutSeconds > (uint.MaxValue - 1) / 1000.0
        )
            problems.Add(
                $"Klaviyo:TimeoutSeconds must be above 0 and at most {(uint.MaxValue - 1) / 1000.0:0} (49.7 days), not {TimeoutSeconds}"
            );
        if (MaxRetries < 0)
            problems.Add($"Klaviyo:MaxRetries must not be negative, not {MaxRetries}");
        if (RetryInMilliseconds < 0)
            problems.Add(
                $"Klaviyo:RetryInMilliseconds must not be negative, not {RetryInMilliseconds}"
            );
        if (problems.Count > 0)
            return problems;
        // Everything else the library checks before it sends: one probe request, built and not sent.
        var probe = new RequestOperation(HttpMethod.Get, "/api/accounts").Build(
            ToOptions(new NoInterpreter())
        );
        probe.IfLeft(error =>
        {
            if (error is KlaviyoError.Validation validation)
                problems.AddRange(validation.Problems.Map(p => "Klaviyo: " + p));
        });
        return problems;
    }

    private sealed class NoInterpreter : IInterpreter
    {
        public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        ) => throw new InvalidOperationException("settings are only checked, never sent");
    }

    /// <summary>The options these settings describe, sending through <paramref name="client"/>.</summary>
    /// <param name="client">The interpreter.</param>
    /// <param name="rateLimiter">The shared rate limiter, used when <see cref="RateLimit"/> is on.</param>
    public KlaviyoOptions ToOptions(IInterpreter client, IRateLimiter? rateLimiter = null) =>
        new()
        {
            ApiKey = ApiKey,
            AccessToken = AccessToken,
            Client = client,
            Host = Host,
            Port = Port,
            Protocol = Protocol,
            Path = Path,
            Revision = Revision,
            Headers = Headers
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => (h.Key, h.Value))
                .ToSeq(),
            ClientOptions = ClientOptions.Default with
            {
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                RateLimiter = RateLimit ? rateLimiter : null,
            },
            Retry = Retry?.ToLowerInvariant() switch
            {
                "linear" => Klaviyo.Retry.Linear,
                "exponential" => Klaviyo.Retry.Exponential,
                null or "" or "none" => null,
                var other => throw new InvalidOperationException(
                    $"Klaviyo:Retry must be 'linear', 'exponential' or empty, not '{other}'"
                ),
            },
            RetryOptions = RetryOptions.Default with
            {
                MaxRetries = MaxRetries,
                RetryIn = TimeSpan.FromMilliseconds(RetryInMilliseconds),
            },
        };

    /// <summary>The settings without secrets.</summary>
    public override string ToString() =>
        $"KlaviyoSettings {{ ApiKey = {(ApiKey is null ? "null" : Secret.Mask)}, AccessToken = {(AccessToken is null ? "null" : Secret.Mask)}, Host = {Host}, Protocol = {Protocol}, Retry = {Retry ?? "none"} }}";
}

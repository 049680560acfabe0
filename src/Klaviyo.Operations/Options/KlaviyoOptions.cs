using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Who calls Klaviyo, where, and how: the thirteen options of the original library. Immutable; copy with
/// <c>with</c>. <see cref="ToString"/> never shows <see cref="ApiKey"/>, <see cref="AccessToken"/> or an
/// <c>authorization</c> header value.
/// </summary>
/// <example><code>
/// var options = new KlaviyoOptions { ApiKey = Environment.GetEnvironmentVariable("KLAVIYO_API_KEY") };
/// </code></example>
public sealed record KlaviyoOptions
{
    /// <summary>The default options: live client, <c>https://a.klaviyo.com</c>, the catalog's revision, no retry.</summary>
    public static readonly KlaviyoOptions Default = new();

    /// <summary>
    /// An OAuth access token; sent as <c>authorization: Bearer …</c> and preferred over <see cref="ApiKey"/>. A
    /// string converts to a <see cref="Secret"/> implicitly (null and empty mean none).
    /// </summary>
    public Secret? AccessToken { get; init; }

    /// <summary>
    /// A private API key; sent as <c>authorization: Klaviyo-API-Key …</c>. A string converts to a
    /// <see cref="Secret"/> implicitly (null and empty mean none).
    /// </summary>
    public Secret? ApiKey { get; init; }

    /// <summary>The interpreter that runs requests; <c>null</c> means the shared live HTTP interpreter.</summary>
    public IInterpreter? Client { get; init; }

    /// <summary>Options for the client: timeout, plain-HTTP policy, clock.</summary>
    public ClientOptions ClientOptions { get; init; } = ClientOptions.Default;

    /// <summary>Headers sent first on every request, in order.</summary>
    public Seq<(string Name, string Value)> Headers { get; init; } = Seq<(string, string)>();

    /// <summary>The API host, without scheme or path; <c>a.klaviyo.com</c> by default.</summary>
    public string Host { get; init; } = "a.klaviyo.com";

    /// <summary>Encodes request bodies and parses responses; System.Text.Json by default.</summary>
    public IJsonCodec JsonCodec { get; init; } = SystemTextJsonCodec.Default;

    /// <summary>A base path put before every operation's path (e.g. <c>/proxy</c>); empty by default.</summary>
    public string Path { get; init; } = "";

    /// <summary>The port; <c>null</c> for the protocol's default.</summary>
    public int? Port { get; init; }

    /// <summary><c>https</c> (default) or <c>http</c>.</summary>
    public string Protocol { get; init; } = "https";

    /// <summary>The retry strategy; <c>null</c> (default) sends each request once.</summary>
    public RetryStrategy? Retry { get; init; }

    /// <summary>Settings for <see cref="Retry"/>: delays, maximum retries.</summary>
    public RetryOptions RetryOptions { get; init; } = RetryOptions.Default;

    /// <summary>The API revision sent in the <c>revision</c> header; <c>null</c>, empty or blank means <see cref="OperationCatalog.Revision"/>.</summary>
    public string? Revision { get; init; }

    /// <summary>The revision actually sent: <see cref="Revision"/> (trimmed) when set, else <see cref="OperationCatalog.Revision"/>.</summary>
    public string EffectiveRevision =>
        string.IsNullOrWhiteSpace(Revision) ? OperationCatalog.Revision : Revision.Trim();

    /// <summary>The secrets these options hold (for redaction).</summary>
    internal Seq<Secret> Secrets
    {
        get
        {
            var secrets = Seq<Secret>();
            if (ApiKey is { } key)
                secrets = secrets.Add(key);
            if (AccessToken is { } token)
                secrets = secrets.Add(token);
            foreach (var (name, value) in Headers)
                if (Redaction.SecretHeaders.Contains(name) && Secret.OrNull(value) is { } secret)
                {
                    secrets = secrets.Add(secret);
                    // The credential after its scheme ("Bearer abc" → "abc") may appear on its own in echoed text.
                    var space = value.IndexOf(' ');
                    if (space > 0 && Secret.OrNull(value[(space + 1)..].Trim()) is { } credential)
                        secrets = secrets.Add(credential);
                }
            return secrets;
        }
    }

    private bool PrintMembers(StringBuilder sb)
    {
        sb.Append("AccessToken = ").Append(AccessToken is null ? "null" : Redaction.Mask);
        sb.Append(", ApiKey = ").Append(ApiKey is null ? "null" : Redaction.Mask);
        sb.Append(", Client = ").Append(Client?.GetType().Name ?? "null");
        sb.Append(", ClientOptions = ").Append(ClientOptions);
        sb.Append(", Headers = [")
            .Append(
                string.Join(
                    ", ",
                    Headers.Map(h =>
                        $"{h.Name}: {Redaction.Scrub(Redaction.HeaderValue(h.Name, h.Value), Secrets)}"
                    )
                )
            )
            .Append(']');
        sb.Append(", Host = ").Append(Host);
        sb.Append(", JsonCodec = ").Append(JsonCodec.GetType().Name);
        sb.Append(", Path = ").Append(Path);
        sb.Append(", Port = ").Append(Port?.ToString() ?? "null");
        sb.Append(", Protocol = ").Append(Protocol);
        sb.Append(", Retry = ").Append(Retry?.ToString() ?? "null");
        sb.Append(", RetryOptions = ").Append(RetryOptions);
        sb.Append(", Revision = ").Append(Revision ?? "null");
        return true;
    }
}

using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// A concrete HTTP request, built from a <see cref="RequestOperation"/> and <see cref="KlaviyoOptions"/>
/// (<see cref="RequestOperation.Build"/>): what an interpreter sends. It stays structured — URL parts, headers,
/// the credential as a <see cref="Secret"/>, the body as <see cref="RequestContent"/> — so it is printed, logged,
/// traced and recorded from its structure (<see cref="Redact"/>), and turned into bytes only to be sent.
/// <see cref="ToString"/> never shows a secret.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Origin">Scheme, host and port: <c>https://a.klaviyo.com</c>.</param>
/// <param name="Path">The path, percent-encoded, base path included: <c>/api/profiles/abc</c>.</param>
public sealed record KlaviyoRequest(HttpMethod Method, string Origin, string Path)
{
    private string? _url;

    private KlaviyoRequest(KlaviyoRequest original)
    {
        // A copy made with `with` may change any part, so the cached URL is not copied.
        Method = original.Method;
        Origin = original.Origin;
        Path = original.Path;
        Query = original.Query;
        Headers = original.Headers;
        Authorization = original.Authorization;
        Content = original.Content;
        OperationId = original.OperationId;
        Attempt = original.Attempt;
        Timeout = original.Timeout;
        Secrets = original.Secrets;
        IsIdempotent = original.IsIdempotent;
        MaxResponseBytes = original.MaxResponseBytes;
        RequiresCredentials = original.RequiresCredentials;
    }

    /// <summary>The query parameters, in order, unencoded; repeats allowed.</summary>
    public Seq<(string Name, string Value)> Query { get; init; }

    /// <summary>
    /// The headers in the order they are sent, except <c>authorization</c> (see <see cref="Authorization"/>); a
    /// <c>content-type</c> appears here only when the user or the operation set one (else the content gives it).
    /// </summary>
    public Seq<(string Name, string Value)> Headers { get; init; }

    /// <summary>The whole <c>authorization</c> header value (<c>Klaviyo-API-Key …</c>, <c>Bearer …</c>), if one is sent.</summary>
    public Secret? Authorization { get; init; }

    /// <summary>The body, as structure; <see cref="RequestContent.None"/> when there is none.</summary>
    public RequestContent Content { get; init; } = RequestContent.None;

    /// <summary>The catalog operationId, when the request came from a generated operation.</summary>
    public string? OperationId { get; init; }

    /// <summary>Which send of this request this is: 1 for the first, 2 for the first retry, and so on.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// Whether Klaviyo needs a credential for this request (every operation but the client API's): the live transport
    /// refuses to send it without one rather than send an unauthenticated request.
    /// </summary>
    public bool RequiresCredentials { get; init; }

    /// <summary>The largest response body the transport accepts (<see cref="ClientOptions.MaxResponseBytes"/>).</summary>
    public long MaxResponseBytes { get; init; } = ClientOptions.Default.MaxResponseBytes;

    /// <summary>The per-attempt timeout the transport applies.</summary>
    public TimeSpan Timeout { get; init; } = ClientOptions.Default.Timeout;

    /// <summary>
    /// Every secret value this request carries (the credential, an operation's client secret or refresh token), so
    /// that text derived from it — a response echoing it, a network error — can be scrubbed (<see cref="Scrub"/>).
    /// </summary>
    public Seq<Secret> Secrets { get; init; }

    /// <summary>
    /// Whether sending this request twice does no harm (decided when it was built; see <see cref="RetryPolicy"/>):
    /// the retry policy resends it after an ambiguous failure only when this is true.
    /// </summary>
    public bool IsIdempotent { get; init; }

    /// <summary>The absolute URL: <see cref="Origin"/> + <see cref="Path"/> + <c>?</c> + the encoded query.</summary>
    public string Url => _url ??= BuildUrl();

    /// <summary>
    /// The content type of the body: a <c>content-type</c> the user or the operation set in <see cref="Headers"/>,
    /// else the content's own; <c>null</c> when there is no body.
    /// </summary>
    public string? ContentType =>
        Content is RequestContent.Empty ? null
        : Find(Headers, "content-type") is { } set ? set
        : Content.ContentType;

    /// <summary>
    /// The value of the first header named <paramref name="name"/> (case-insensitive), as sent; for
    /// <c>content-type</c>, <see cref="ContentType"/>. Never the credential (see <see cref="Authorization"/>).
    /// </summary>
    /// <param name="name">The header name.</param>
    public Option<string> Header(string name) =>
        Optional(
            name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
                ? ContentType
                : Find(Headers, name)
        );

    private static string? Find(Seq<(string Name, string Value)> headers, string name)
    {
        foreach (var (n, v) in headers)
            if (n.Equals(name, StringComparison.OrdinalIgnoreCase))
                return v;
        return null;
    }

    /// <summary>
    /// A copy that is safe to print or store: its <see cref="Headers"/> are every header as shown, in the original
    /// library's order (the user's, the operation's, <c>content-type</c>, <c>revision</c>, the credential as its scheme
    /// only — <c>authorization: Klaviyo-API-Key [REDACTED]</c> —, <c>accept</c>, <c>user-agent</c>), secret headers,
    /// query parameters and body fields masked (built-in names, the spec's secret fields, and
    /// <paramref name="rules"/>), every secret value scrubbed wherever it still appears, and
    /// <see cref="Secrets"/> emptied. Redacting twice changes nothing more.
    /// </summary>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public KlaviyoRequest Redact(RedactionRules? rules = null) =>
        RequestRedaction.Redact(this, rules ?? RedactionRules.Default);

    /// <summary>
    /// <paramref name="text"/> with every secret of this request masked, in every form it may take in text (as is,
    /// percent- or form-encoded): for messages built from what the network said.
    /// </summary>
    /// <param name="text">The text.</param>
    public string Scrub(string text) => Redaction.Scrub(text, Secrets);

    /// <summary>Value equality over what is sent (method, URL parts, headers, credential, body, operation, timeout).</summary>
    /// <param name="other">The other request.</param>
    public bool Equals(KlaviyoRequest? other) =>
        other is not null
        && Method == other.Method
        && Origin == other.Origin
        && Path == other.Path
        && Query == other.Query
        && Headers == other.Headers
        && Equals(Authorization, other.Authorization)
        && Content.Equals(other.Content)
        && OperationId == other.OperationId
        && Timeout == other.Timeout;

    /// <summary>A hash over method, origin and path.</summary>
    public override int GetHashCode() => HashCode.Combine(Method, Origin, Path);

    /// <summary>Method, URL and headers, redacted; the body by its kind only.</summary>
    public override string ToString()
    {
        var safe = Redact();
        return $"{safe.Method} {safe.Url} [{string.Join(", ", safe.Headers.Map(h => $"{h.Name}: {h.Value}"))}] ({Content.GetType().Name.ToLowerInvariant()} body)";
    }

    private string BuildUrl()
    {
        var sb = new StringBuilder(Origin.Length + Path.Length + 64);
        sb.Append(Origin).Append(Path);
        PercentEncoding.AppendPairs(sb, Query, '?');
        return sb.ToString();
    }
}

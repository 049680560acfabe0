using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A concrete HTTP request, built from a <see cref="RequestOperation"/> and <see cref="KlaviyoOptions"/>: what an
/// interpreter sends. <see cref="ToString"/> masks credentials.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The absolute URL, percent-encoded.</param>
/// <param name="Headers">All headers, in the order they are sent (content-type included when there is a body).</param>
/// <param name="Body">The encoded body; empty when there is none.</param>
public sealed record KlaviyoRequest(
    HttpMethod Method,
    string Url,
    Seq<(string Name, string Value)> Headers,
    ReadOnlyMemory<byte> Body
)
{
    /// <summary>The catalog operationId, when the request came from a generated operation.</summary>
    public string? OperationId { get; init; }

    /// <summary>Which send of this request this is: 1 for the first, 2 for the first retry, and so on.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The per-attempt timeout the interpreter applies.</summary>
    public TimeSpan Timeout { get; init; } = ClientOptions.Default.Timeout;

    /// <summary>The secret values this request carries, for redaction wherever it is printed or stored.</summary>
    public Seq<string> Secrets { get; init; }

    /// <summary>The value of the first header named <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">The header name.</param>
    public Option<string> Header(string name) =>
        Headers
            .Find(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            .Map(h => h.Value);

    /// <summary>The content type of the body, if any.</summary>
    public string? ContentType => Header("content-type").IfNoneUnsafe((string?)null);

    /// <summary>Value equality, comparing body bytes.</summary>
    /// <param name="other">The other request.</param>
    public bool Equals(KlaviyoRequest? other) =>
        other is not null
        && Method == other.Method
        && Url == other.Url
        && Headers == other.Headers
        && Body.Span.SequenceEqual(other.Body.Span)
        && OperationId == other.OperationId
        && Timeout == other.Timeout;

    /// <summary>A hash over method, URL and body length.</summary>
    public override int GetHashCode() => HashCode.Combine(Method, Url, Body.Length);

    /// <summary>Method, URL and headers with secrets masked; the body is summarised by its length only.</summary>
    public override string ToString() =>
        Redaction.Scrub(
            $"{Method} {Url} [{string.Join(", ", Headers.Map(h => $"{h.Name}: {Redaction.HeaderValue(h.Name, h.Value)}"))}] ({Body.Length} body bytes)",
            Secrets
        );
}

using LanguageExt;

namespace Klaviyo;

/// <summary>A response as an interpreter received it, before classification: status, headers, body bytes.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Headers">The response headers (content headers included), in order.</param>
/// <param name="Body">The body bytes; empty when there is none.</param>
public sealed record RawResponse(
    int StatusCode,
    Seq<(string Name, string Value)> Headers,
    ReadOnlyMemory<byte> Body
)
{
    /// <summary>Value equality, comparing body bytes.</summary>
    /// <param name="other">The other response.</param>
    public bool Equals(RawResponse? other) =>
        other is not null
        && StatusCode == other.StatusCode
        && Headers == other.Headers
        && Body.Span.SequenceEqual(other.Body.Span);

    /// <summary>A hash over status and body length.</summary>
    public override int GetHashCode() => HashCode.Combine(StatusCode, Body.Length);

    /// <summary>Status and body length.</summary>
    public override string ToString() => $"{StatusCode} ({Body.Length} body bytes)";
}

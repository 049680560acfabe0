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
    /// <summary>How many sends it took to get this response (more than 1 after retries).</summary>
    public int Attempts { get; init; } = 1;

    // The body as last found to be well-formed JSON: a stub or a fixture answers with the same response many times,
    // and its bytes need checking once. A copy with another body does not match it, so it is checked again.
    private ReadOnlyMemory<byte> _wellFormedJson;

    /// <summary>Whether <see cref="Body"/> was already found to be well-formed JSON.</summary>
    internal bool BodyKnownWellFormed => !Body.IsEmpty && _wellFormedJson.Equals(Body);

    /// <summary>Remembers that <see cref="Body"/> is well-formed JSON.</summary>
    internal void BodyFoundWellFormed() => _wellFormedJson = Body;

    /// <summary>
    /// A copy safe to store or print: secret headers (such as <c>set-cookie</c>) masked, secret JSON and form fields
    /// masked (<c>access_token</c>, <c>refresh_token</c>, …, at any depth), and <paramref name="secrets"/> scrubbed
    /// everywhere (a response may echo a request's secret). A body that claims to be JSON but does not parse is
    /// masked whole when it names a secret field, never kept in clear.
    /// </summary>
    /// <param name="secrets">The secrets of the request that produced it (<see cref="KlaviyoRequest.Secrets"/>).</param>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public RawResponse Redact(Seq<Secret> secrets, RedactionRules? rules = null) =>
        RequestRedaction.Redact(this, secrets, rules ?? RedactionRules.Default);

    /// <summary>
    /// A copy safe to store or print, as <see cref="Redact(Seq{Secret}, RedactionRules?)"/>, scrubbed of everything
    /// the redaction of <paramref name="request"/> masks: its secrets and the values of the headers, query parameters
    /// and body fields the built-in names and <paramref name="rules"/> hide (a server may quote any of them).
    /// </summary>
    /// <param name="request">The request that produced it.</param>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public RawResponse Redact(KlaviyoRequest request, RedactionRules? rules = null)
    {
        var effective = rules ?? RedactionRules.Default;
        var masked = MaskedValues.Of(
            request,
            RedactionScope.ForRequest(request.Secrets, effective)
        );
        return RequestRedaction.Redact(this, masked, effective);
    }

    /// <summary>
    /// Classifies this response: 2xx is a <see cref="KlaviyoResponse"/>; any other status is a
    /// <see cref="KlaviyoError.Api"/> carrying the response and Klaviyo's JSON:API <c>errors</c>. A body under a
    /// content type matching <c>(/|+)json</c> is JSON; malformed JSON there is a <see cref="KlaviyoError.Decode"/>
    /// keeping the raw text. Messages are scrubbed of <paramref name="secrets"/>. Pure; never throws.
    /// </summary>
    /// <param name="codec">The JSON codec; <see cref="SystemTextJsonCodec.Default"/> when <c>null</c>.</param>
    /// <param name="secrets">The secrets of the request it answers (<see cref="KlaviyoRequest.Secrets"/>).</param>
    public Either<KlaviyoError, KlaviyoResponse> Classify(
        IJsonCodec? codec = null,
        Seq<Secret> secrets = default
    ) => ResponseClassifier.Classify(this, codec ?? SystemTextJsonCodec.Default, secrets);

    /// <summary>
    /// Classifies this response to <paramref name="request"/>, as <see cref="Classify(IJsonCodec?, Seq{Secret})"/>
    /// with the request's secrets; the response remembers the request, so that
    /// <see cref="KlaviyoResponse.Redact"/> also scrubs the values the caller's rules mask in it (a header the
    /// server quotes back). Pure; never throws.
    /// </summary>
    /// <param name="request">The request it answers.</param>
    /// <param name="codec">The JSON codec; <see cref="SystemTextJsonCodec.Default"/> when <c>null</c>.</param>
    public Either<KlaviyoError, KlaviyoResponse> Classify(
        KlaviyoRequest request,
        IJsonCodec? codec = null
    ) =>
        ResponseClassifier.Classify(
            this,
            codec ?? SystemTextJsonCodec.Default,
            request.Secrets,
            request
        );

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

using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>A classified response: status, headers (case-insensitive lookup), and the decoded body.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Headers">The headers.</param>
/// <param name="Body">The body: JSON when the content type says so, text otherwise, nothing when empty.</param>
public partial record KlaviyoResponse(int StatusCode, ResponseHeaders Headers, ResponseBody Body)
{
    /// <summary>The JSON root of the body, when it is JSON.</summary>
    public Option<JsonElement> Json => Body is ResponseBody.Json j ? Some(j.Value) : None;

    /// <summary>The JSON root of the body, the plain C# way: <see cref="Json"/> without LanguageExt's <c>Option</c>.</summary>
    /// <param name="json">The root, when the body is JSON.</param>
    /// <returns>Whether the body is JSON.</returns>
    public bool TryGetJson(out JsonElement json)
    {
        json = Body is ResponseBody.Json j ? j.Value : default;
        return Body is ResponseBody.Json;
    }

    /// <summary>
    /// Reads the JSON body with <paramref name="read"/> without keeping its parsed tree: the tree is built in pooled
    /// memory and given back when <paramref name="read"/> returns, so a caller that takes what it needs (a few values,
    /// a decoded record) allocates no tree at all. The element is valid only inside <paramref name="read"/>: take values
    /// out (<c>GetString()</c>, <c>Clone()</c>, a decoded record), not the element itself. <see cref="Json"/> keeps a
    /// tree for as long as the response lives; this is its allocation-free counterpart for hot paths.
    /// </summary>
    /// <example><code>
    /// var count = response.ReadJson(root => root.GetProperty("data").GetArrayLength());
    /// </code></example>
    /// <param name="read">Reads the root element.</param>
    /// <returns>What <paramref name="read"/> returned; <c>None</c> when the body is not JSON (or it returned <c>null</c>).</returns>
    public Option<T> ReadJson<T>(Func<JsonElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Body is ResponseBody.Json json ? Prelude.Optional(json.Read(read)) : Option<T>.None;
    }

    /// <summary>How many sends it took to get this response (more than 1 after retries).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>
    /// A copy safe to print: secret headers masked, secret body fields masked at any depth, and the secrets of the
    /// request it answers scrubbed wherever the server echoed them (an error document may quote a key).
    /// </summary>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public KlaviyoResponse Redact(RedactionRules? rules = null)
    {
        var effective = rules ?? RedactionRules.Default;
        var secrets = Headers.Request is { } request
            ? MaskedValues.Of(request, RedactionScope.ForRequest(request.Secrets, effective))
            : Headers.Secrets;
        var scope = RedactionScope.ForResponse(secrets, effective);
        var headers = new ResponseHeaders(
            Headers.All.Map(h => (h.Name, scope.HeaderValue(h.Name, h.Value))),
            Headers.Secrets
        )
        {
            Request = Headers.Request,
        };
        var body = Body switch
        {
            ResponseBody.Json json => JsonRedaction
                .Redact(json.Utf8, scope)
                .Match(
                    bytes =>
                        bytes.Equals(json.Utf8)
                            ? Body
                            : new ResponseBody.Json(
                                System.Text.Json.JsonDocument.Parse(bytes).RootElement
                            ),
                    () => new ResponseBody.Text(Redaction.Mask)
                ),
            ResponseBody.Text text => new ResponseBody.Text(scope.Scrub(text.Value)),
            _ => Body,
        };
        return this with { Headers = headers, Body = body };
    }

    /// <summary>
    /// The operation for the page after this one, following JSON:API <c>links.next</c>: <paramref name="current"/>
    /// (the operation that fetched this page) with the path and query of the link. <c>None</c> when there is no next
    /// page. A link to another scheme, host or port than <paramref name="options"/> is a validation error (following it
    /// would send the credentials elsewhere). Pure; never throws.
    /// </summary>
    /// <param name="current">The operation that fetched this page.</param>
    /// <param name="options">The options the pages are fetched with.</param>
    public Either<KlaviyoError, Option<RequestOperation>> NextPage(
        RequestOperation current,
        KlaviyoOptions options
    ) => PageLinks.Next(current, Body, options);

    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    private static Option<JsonElement> Some(JsonElement e) => Option<JsonElement>.Some(e);

    private static Option<JsonElement> None => Option<JsonElement>.None;

    /// <summary>Status and headers; the body only by kind, so echoed data never lands in logs by accident.</summary>
    public override string ToString() =>
        $"KlaviyoResponse {{ StatusCode = {StatusCode}, Headers = [{Headers}], Body = {Body.GetType().Name} }}";
}

using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Parts of a redacted request, computed without building the whole redacted copy (<see cref="KlaviyoRequest.Redact"/>
/// also redacts every header and the body): for code that needs only one part many times, such as a fixture matching
/// requests by path and query.
/// </summary>
public static class KlaviyoRequestRedaction
{
    /// <summary>
    /// The request target — path and query — exactly as <see cref="KlaviyoRequest.Redact"/> with
    /// <paramref name="rules"/> shows them: secret query parameters masked, secret values scrubbed from path segments,
    /// query names and values, the user's query rules applied. When there is nothing to hide, the request's own path
    /// and query come back (no copies).
    /// </summary>
    /// <example><code>
    /// var (path, query) = request.RedactedTarget(rules);
    /// </code></example>
    /// <param name="request">The request.</param>
    /// <param name="rules">Extra rules; <see cref="RedactionRules.Default"/> when <c>null</c>.</param>
    public static (string Path, Seq<(string Name, string Value)> Query) RedactedTarget(
        this KlaviyoRequest request,
        RedactionRules? rules = null
    )
    {
        ArgumentNullException.ThrowIfNull(request);
        return RequestRedaction.RedactedTarget(request, rules ?? RedactionRules.Default);
    }
}

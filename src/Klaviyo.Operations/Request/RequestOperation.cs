using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// A pure description of one Klaviyo API request. Nothing runs when you build one: an interpreter runs it.
/// </summary>
/// <remarks>
/// <para><see cref="Path"/> is already expanded: each path parameter was percent-encoded as exactly one segment.
/// Problems found while describing (a null or empty path parameter, say) are kept in <see cref="Problems"/> and
/// turn into a <see cref="KlaviyoError.Validation"/> when the request is built, so describing never throws.</para>
/// <example><code>
/// var op = new RequestOperation(HttpMethod.Get, "/api/profiles")
/// {
///     Query = Seq(("page[size]", "10")),
/// };
/// </code></example>
/// </remarks>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path below the base path, starting with <c>/</c>, path parameters already encoded.</param>
public record RequestOperation(HttpMethod Method, string Path)
{
    /// <summary>Query parameters, in order, unencoded; repeats allowed.</summary>
    public Seq<(string Name, string Value)> Query { get; init; } = Seq<(string, string)>();

    /// <summary>The request body; <see cref="RequestBody.None"/> by default.</summary>
    public RequestBody Body { get; init; } = RequestBody.None;

    /// <summary>Headers this operation adds after the user's headers from the options.</summary>
    public Seq<(string Name, string Value)> Headers { get; init; } = Seq<(string, string)>();

    /// <summary>The spec's operationId for generated operations (the catalog key); <c>null</c> for hand-built ones.</summary>
    public string? OperationId { get; init; }

    /// <summary>
    /// Whether the options' credentials (access token or API key) are sent. <c>false</c> for Klaviyo's client API
    /// (<c>/client/…</c>), which is called from browsers with the public key only.
    /// </summary>
    public bool SendCredentials { get; init; } = true;

    /// <summary>
    /// Secret values this operation itself carries (an OAuth client secret, a refresh token, an authorization code),
    /// so that every printer, recorder and error message can mask them. Never shown by <see cref="ToString"/>.
    /// </summary>
    public Seq<Secret> Secrets { get; init; } = Seq<Secret>();

    /// <summary>
    /// Whether sending this request twice does no harm, which lets the retry policy resend it after an ambiguous
    /// failure (a timeout, a connection lost mid-request). <c>null</c> (default) lets the method and the operation
    /// decide (see <see cref="RetryPolicy"/>); set <c>true</c> for a write you made safe to repeat (an event with a
    /// <c>unique_id</c>, which Klaviyo deduplicates), or <c>false</c> to never resend after an ambiguous failure.
    /// </summary>
    public bool? Idempotent { get; init; }

    /// <summary>
    /// Whether building skips the check of a JSON body against the operation's request schema (for a body newer than
    /// the spec); <c>false</c> by default. Set with <c>op.WithoutBodyCheck()</c>.
    /// </summary>
    public bool SkipBodyCheck { get; init; }

    /// <summary>Problems found while describing the operation; any problem makes building it a validation error.</summary>
    public Seq<string> Problems { get; init; } = Seq<string>();

    /// <summary>Returns a copy with one more query parameter appended.</summary>
    /// <param name="name">The unencoded parameter name, e.g. <c>fields[profile]</c>.</param>
    /// <param name="value">The unencoded value.</param>
    public RequestOperation WithQuery(string name, string value) =>
        this with
        {
            Query = Query.Add((name, value)),
        };

    /// <summary>Returns a copy with one more per-operation header.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    public RequestOperation WithHeader(string name, string value) =>
        this with
        {
            Headers = Headers.Add((name, value)),
        };

    /// <summary>Returns a copy with the given body.</summary>
    /// <param name="body">The new body.</param>
    public RequestOperation WithBody(RequestBody body) => this with { Body = body };

    /// <summary>
    /// Builds the concrete request these options describe: URL, headers, credential, body through the codec. Pure.
    /// Bad input (in the operation or the options) is a <see cref="KlaviyoError.Validation"/> naming every problem.
    /// </summary>
    /// <example><code>
    /// var printed = Profiles.GetProfiles().Build(options).Map(request => request.ToCurl());
    /// </code></example>
    /// <param name="options">The options.</param>
    public Either<KlaviyoError, KlaviyoRequest> Build(KlaviyoOptions options) =>
        RequestBuilder.Build(this, options);

    /// <summary>
    /// A short description: method, path and query, with secret query parameters and this operation's
    /// <see cref="Secrets"/> masked (no header values, no body).
    /// </summary>
    public override string ToString()
    {
        var scope = RedactionScope.ForRequest(Secrets, RedactionRules.Default);
        var query = Query.Map(q => $"{scope.Scrub(q.Name)}={scope.QueryValue(q.Name, q.Value)}");
        return $"{Method} {scope.Scrub(Path)}{(Query.IsEmpty ? "" : "?" + string.Join("&", query))}";
    }
}

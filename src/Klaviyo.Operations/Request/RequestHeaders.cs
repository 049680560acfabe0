using System.Reflection;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>The headers of a built request and its credential, kept apart from the other headers as a secret.</summary>
/// <param name="Headers">Every header but <c>authorization</c>, in the order sent.</param>
/// <param name="Authorization">The credential, when one is sent.</param>
internal readonly record struct BuiltHeaders(
    Seq<(string Name, string Value)> Headers,
    Secret? Authorization
);

/// <summary>
/// Which headers a request carries, in order: the user's (<see cref="KlaviyoOptions.Headers"/>), the operation's,
/// then <c>revision</c>, <c>accept</c> and <c>user-agent</c> unless already given, and the credential. Pure.
/// </summary>
/// <remarks>
/// One credential is sent. The operation's own <c>authorization</c> header wins (the OAuth token endpoint needs its
/// client credentials), then the first <c>authorization</c> in <see cref="KlaviyoOptions.Headers"/>, then
/// <c>Bearer</c> <see cref="KlaviyoOptions.AccessToken"/>, then <c>Klaviyo-API-Key</c>
/// <see cref="KlaviyoOptions.ApiKey"/>. An operation that must not carry credentials (the client API) sends none.
/// A blank <c>revision</c> is dropped (the default revision takes its place); a <c>content-type</c> is kept only
/// when there is a body. A name given more than once is sent once with its values joined by <c>, </c>
/// (RFC 9110), so a printed request shows exactly what is sent.
/// </remarks>
internal static class RequestHeaders
{
    /// <summary>The user agent sent by default: the library's name and version.</summary>
    public static readonly string UserAgent =
        "klaviyo-dotnet/"
        + (
            typeof(RequestHeaders)
                .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
                ?.InformationalVersion.Split('+')[0]
            ?? "0.0.0"
        );

    /// <summary>The headers for <paramref name="operation"/> sent with <paramref name="options"/>.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options.</param>
    /// <param name="hasContent">Whether the request has a body.</param>
    public static BuiltHeaders For(
        RequestOperation operation,
        KlaviyoOptions options,
        bool hasContent
    )
    {
        // Index loops into one array (no Seq enumerators, no closures): this runs on every build.
        var fromOptions = options.Headers;
        var fromOperation = operation.Headers;
        var credential = operation.SendCredentials ? Credential(operation, options) : null;
        var kept = new (string Name, string Value)[fromOptions.Count + fromOperation.Count + 3];
        var count = Keep(kept, 0, fromOptions, hasContent);
        count = Keep(kept, count, fromOperation, hasContent);
        var headers = LanguageExt.UnsafeValueAccess.UnsafeValueAccessExtensions.ToSeqUnsafe(
            kept,
            count
        );
        headers = CombineRepeated(headers);
        if (!Has(headers, "revision"))
            headers = headers.Add(("revision", options.EffectiveRevision));
        if (!Has(headers, "accept"))
            headers = headers.Add(("accept", MediaTypes.JsonApi));
        if (!Has(headers, "user-agent"))
            headers = headers.Add(("user-agent", UserAgent));
        return new BuiltHeaders(headers, credential);
    }

    // Copies the headers that are sent as they are: not the credential, not a blank revision, and a content-type
    // only when there is a body.
    private static int Keep(
        (string Name, string Value)[] into,
        int count,
        Seq<(string Name, string Value)> headers,
        bool hasContent
    )
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i];
            if (
                !IsNamed(h, "authorization")
                && !(IsNamed(h, "revision") && string.IsNullOrWhiteSpace(h.Value))
                && (hasContent || !IsNamed(h, "content-type"))
            )
                into[count++] = h;
        }
        return count;
    }

    private static Secret? Credential(RequestOperation operation, KlaviyoOptions options)
    {
        if (Has(operation.Headers, "authorization") || Has(options.Headers, "authorization"))
            return GivenCredential(operation, options);
        if (options.AccessToken is { } token)
            return Secret.Of("Bearer " + Credentials.Bare(token.Reveal(), "Bearer"));
        if (options.ApiKey is { } key)
            return Secret.Of(
                "Klaviyo-API-Key " + Credentials.Bare(key.Reveal(), "Klaviyo-API-Key")
            );
        return null;
    }

    private static Secret? GivenCredential(RequestOperation operation, KlaviyoOptions options)
    {
        var given = operation
            .Headers.Find(h => IsNamed(h, "authorization"))
            .BiBind(Some, () => options.Headers.Find(h => IsNamed(h, "authorization")))
            .Map(h => Secret.OrNull(h.Value));
        if (given.IsSome)
            return given.IfNoneUnsafe((Secret?)null);
        if (options.AccessToken is { } token)
            return Secret.Of("Bearer " + Credentials.Bare(token.Reveal(), "Bearer"));
        if (options.ApiKey is { } key)
            return Secret.Of(
                "Klaviyo-API-Key " + Credentials.Bare(key.Reveal(), "Klaviyo-API-Key")
            );
        return null;
    }

    // A name given more than once is sent once, its values joined by ", " in order (RFC 9110 §5.3), so what is
    // printed is what the wire carries.
    private static Seq<(string Name, string Value)> CombineRepeated(
        Seq<(string Name, string Value)> headers
    )
    {
        if (headers.Count < 2)
            return headers;
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var repeated = false;
        for (var i = 0; i < headers.Count; i++)
            repeated |= !seen.Add(headers[i].Name);
        if (!repeated)
            return headers;
        var combined = new List<(string Name, string Value)>();
        foreach (var (name, value) in headers)
        {
            var at = combined.FindIndex(h =>
                h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
            );
            if (at < 0)
                combined.Add((name, value));
            else
                combined[at] = (combined[at].Name, combined[at].Value + ", " + value);
        }
        return combined.ToSeq().Strict();
    }

    private static bool Has(Seq<(string Name, string Value)> headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
            if (IsNamed(headers[i], name))
                return true;
        return false;
    }

    private static bool IsNamed((string Name, string Value) h, string name) =>
        h.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
}

using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Follows JSON:API <c>links.next</c> from one page to the next. Pure: given the operation that fetched a page and
/// that page's body, it describes the operation for the next page (or says there is none).
/// </summary>
internal static class PageLinks
{
    /// <summary>
    /// The operation that fetches the page after the one whose body is <paramref name="body"/>: the same method,
    /// body, headers, operationId and credentials policy, with the path and query of <c>links.next</c>.
    /// <c>None</c> when <c>links.next</c> is absent, null, empty, or points back to the same page.
    /// A <c>links.next</c> on another scheme, host or port than <paramref name="options"/> is a validation error:
    /// following it would send the credentials elsewhere.
    /// </summary>
    /// <param name="current">The operation that fetched the current page.</param>
    /// <param name="body">The current page's body.</param>
    /// <param name="options">The options the pages are fetched with.</param>
    public static Either<KlaviyoError, Option<RequestOperation>> Next(
        RequestOperation current,
        ResponseBody body,
        KlaviyoOptions options
    )
    {
        var next = NextLink(body);
        if (next is null)
            return Option<RequestOperation>.None;
        if (!Uri.TryCreate(next, UriKind.Absolute, out var uri))
            return Refuse($"links.next '{next}' is not an absolute URL");
        var expectedPort =
            options.Port
            ?? (options.Protocol.Equals("http", StringComparison.OrdinalIgnoreCase) ? 80 : 443);
        if (
            !uri.Scheme.Equals(options.Protocol, StringComparison.OrdinalIgnoreCase)
            || !uri.IdnHost.Equals(options.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
                && !uri
                    .Host.Trim('[', ']')
                    .Equals(options.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            || uri.Port != expectedPort
        )
            return Refuse(
                $"refusing to follow links.next to {uri.Scheme}://{uri.Authority}: pages are only fetched from {options.Protocol}://{options.Host}{(options.Port is { } p ? ":" + p : "")}"
            );

        var path = uri.GetComponents(
            UriComponents.Path | UriComponents.KeepDelimiter,
            UriFormat.UriEscaped
        );
        var basePath = "/" + options.Path.Trim().Trim('/');
        if (basePath.Length > 1 && path.StartsWith(basePath + "/", StringComparison.Ordinal))
            path = path[basePath.Length..];
        var query = ParseQuery(uri.GetComponents(UriComponents.Query, UriFormat.UriEscaped));
        var following = current with { Path = path, Query = query };
        if (following.Path == current.Path && following.Query == current.Query)
            return Option<RequestOperation>.None;
        return Option<RequestOperation>.Some(following);
    }

    /// <summary>
    /// The <c>links.next</c> URL of a JSON:API body, or <c>null</c>. Never throws: a link (or a key beside it) that is
    /// not well-formed Unicode is read with each broken part as U+FFFD.
    /// </summary>
    /// <param name="body">The body.</param>
    public static string? NextLink(ResponseBody body)
    {
        if (
            body is not ResponseBody.Json { Value: var root }
            || root.ValueKind != JsonValueKind.Object
        )
            return null;
        if (
            !JsonText.TryGetProperty(root, "links", out var links)
            || links.ValueKind != JsonValueKind.Object
        )
            return null;
        if (
            !JsonText.TryGetProperty(links, "next", out var next)
            || next.ValueKind != JsonValueKind.String
        )
            return null;
        var value = JsonText.String(next);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Splits an encoded query string into unencoded pairs, in order.</summary>
    /// <param name="query">The query without the leading <c>?</c>.</param>
    public static Seq<(string Name, string Value)> ParseQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
            return Seq<(string, string)>();
        var pairs = new List<(string, string)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
                continue;
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
        }
        return toSeq(pairs);
    }

    private static Either<KlaviyoError, Option<RequestOperation>> Refuse(string why) =>
        new KlaviyoError.Validation(Seq1(why)) { Attempts = 0 };
}

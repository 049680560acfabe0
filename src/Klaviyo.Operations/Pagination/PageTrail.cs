using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The pages of one listing fetched so far, so that following <c>links.next</c> can never loop: a next page that is
/// one already fetched — the same method, path and query, whatever the order of the query's parameters or how they
/// were percent-encoded — ends the listing with an error instead of fetching it again. Immutable and pure; both the
/// streaming pagination and <see cref="PaginationOperations.AllPages"/> follow pages through it.
/// </summary>
public sealed class PageTrail
{
    private readonly LanguageExt.HashSet<string> _seen;

    private PageTrail(LanguageExt.HashSet<string> seen, int count)
    {
        _seen = seen;
        Count = count;
    }

    /// <summary>A trail that starts at <paramref name="first"/>.</summary>
    /// <param name="first">The first page's operation.</param>
    public static PageTrail Start(RequestOperation first) =>
        new(LanguageExt.HashSet<string>.Empty.Add(Key(first)), 1);

    /// <summary>How many pages the trail holds.</summary>
    public int Count { get; }

    /// <summary>
    /// The page after <paramref name="page"/> (fetched by <paramref name="current"/>) and the trail with it, or
    /// <c>None</c> at the last page. A <c>links.next</c> to another host is a validation error (the credentials
    /// would go there); one back to a page already on the trail is a <see cref="KlaviyoError.Decode"/> naming it.
    /// </summary>
    /// <param name="current">The operation that fetched <paramref name="page"/>.</param>
    /// <param name="page">The page's response.</param>
    /// <param name="options">The options the pages are fetched with.</param>
    public Either<KlaviyoError, Option<(RequestOperation Next, PageTrail Trail)>> Follow(
        RequestOperation current,
        KlaviyoResponse page,
        KlaviyoOptions options
    ) =>
        page.NextPage(current, options)
            .Bind(next =>
                next.Match(
                    op =>
                    {
                        var key = Key(op);
                        return _seen.Contains(key)
                            ? Left<KlaviyoError, Option<(RequestOperation, PageTrail)>>(
                                new KlaviyoError.Decode(
                                    $"links.next leads back to a page already fetched ({key}) after {Count} page(s): the listing loops, so it was stopped",
                                    page.StatusCode,
                                    page.Headers,
                                    ""
                                )
                            )
                            : Right<KlaviyoError, Option<(RequestOperation, PageTrail)>>(
                                Some((op, new PageTrail(_seen.Add(key), Count + 1)))
                            );
                    },
                    () =>
                        Right<KlaviyoError, Option<(RequestOperation, PageTrail)>>(
                            Option<(RequestOperation, PageTrail)>.None
                        )
                )
            );

    // Method, decoded path segments, and the decoded query pairs sorted: equal for the same page however written.
    private static string Key(RequestOperation op)
    {
        var sb = new StringBuilder(op.Method.Method.Length + op.Path.Length + 64);
        sb.Append(op.Method.Method.ToUpperInvariant()).Append(' ');
        var segments = op.Path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
                sb.Append('/');
            sb.Append(PercentEncoding.Encode(UrlParts.Decode(segments[i], plusIsSpace: false)));
        }
        var pairs = op.Query.ToArray();
        System.Array.Sort(
            pairs,
            (a, b) =>
            {
                var byName = string.CompareOrdinal(a.Name, b.Name);
                return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
            }
        );
        PercentEncoding.AppendPairs(sb, pairs.ToSeq(), '?');
        return sb.ToString();
    }

    /// <summary>How many pages the trail holds.</summary>
    public override string ToString() => $"PageTrail {{ Count = {Count} }}";
}

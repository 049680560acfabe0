using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Pagination of typed listings (<see cref="ListingOperation{TPage, TItem}"/>): every page's <c>data</c> decoded
/// into the generated resource model. Same rules as <see cref="PaginationOperations"/> (follow <c>links.next</c>
/// only to the configured host, never to a page already fetched); a resource of the wrong shape is a
/// <see cref="KlaviyoError.Decode"/> naming its path, e.g. <c>$.data[3].attributes</c>.
/// </summary>
/// <example><code>
/// Operation&lt;Seq&lt;string?&gt;&gt; names =
///     from lists in Lists.GetLists().AllResources()
///     select lists.Map(l => l.Attributes.Name);
/// </code></example>
public static class TypedPagination
{
    /// <summary>Every resource of every page, typed, in order.</summary>
    /// <param name="first">The first page's operation.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    /// <typeparam name="TPage">The model of a page.</typeparam>
    /// <typeparam name="TItem">The model of a resource.</typeparam>
    public static Operation<Seq<TItem>> AllResources<TPage, TItem>(
        this ListingOperation<TPage, TItem> first,
        int? maxPages = null
    ) =>
        maxPages is <= 0
            ? Operation.Pure(Seq<TItem>())
            : Operation
                .Options()
                .Bind(options =>
                    Fetch<TItem>(first, PageTrail.Start(first), options, Seq<TItem>(), 0, maxPages)
                );

    /// <summary>
    /// The resources of one page (its <c>data</c> array), decoded into <typeparamref name="TItem"/>; none when
    /// <c>data</c> is absent or <c>null</c>.
    /// </summary>
    /// <param name="page">The page's response.</param>
    /// <typeparam name="TItem">The model of a resource.</typeparam>
    public static Either<KlaviyoError, Seq<TItem>> Resources<TItem>(KlaviyoResponse page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Body is not ResponseBody.Json json)
            return Error<TItem>(page, "at $: expected a JSON document");
        var root = json.Value;
        if (
            root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("data", out var data)
            || data.ValueKind == JsonValueKind.Null
        )
            return root.ValueKind == JsonValueKind.Object
                ? Seq<TItem>()
                : Error<TItem>(page, "at $: expected an object");
        if (data.ValueKind != JsonValueKind.Array)
            return Error<TItem>(page, "at $.data: expected an array");
        var items = new List<TItem>(data.GetArrayLength());
        var index = 0;
        foreach (var element in data.EnumerateArray())
        {
            var decoded = ModelJson.Decode<TItem>(element);
            if (decoded.IsLeft)
            {
                var at = index;
                return decoded.Map(v => Seq1(v)).MapLeft(e => Located(e, page, at));
            }
            decoded.IfRight(items.Add);
            index++;
        }
        return toSeq(items);
    }

    private static Operation<Seq<TItem>> Fetch<TItem>(
        RequestOperation page,
        PageTrail trail,
        KlaviyoOptions options,
        Seq<TItem> done,
        int fetched,
        int? maxPages
    ) =>
        page.ToOperation()
            .Bind(response =>
                Resources<TItem>(response)
                    .Bind(items =>
                        fetched + 1 >= maxPages
                            ? Right<
                                KlaviyoError,
                                (Seq<TItem>, Option<(RequestOperation, PageTrail)>)
                            >((items, None))
                            : trail.Follow(page, response, options).Map(next => (items, next))
                    )
            )
            .Bind(step =>
            {
                var (items, next) = step;
                var all = done + items;
                return next.Match(
                    n => Fetch(n.Item1, n.Item2, options, all, fetched + 1, maxPages),
                    () => Operation.Pure(all)
                );
            });

    // A resource's decode error, its path moved under $.data[index] and carrying the page's status.
    private static KlaviyoError Located(KlaviyoError error, KlaviyoResponse page, int index) =>
        error is KlaviyoError.Decode d
            ? d with
            {
                Reason = d.Reason.StartsWith("at $", StringComparison.Ordinal)
                    ? $"at $.data[{index}]{d.Reason[4..]}"
                    : d.Reason,
                StatusCode = page.StatusCode,
                Headers = page.Headers,
                Attempts = page.Attempts,
            }
            : error;

    private static Either<KlaviyoError, Seq<TItem>> Error<TItem>(
        KlaviyoResponse page,
        string reason
    ) =>
        Left<KlaviyoError, Seq<TItem>>(
            new KlaviyoError.Decode(
                reason,
                page.StatusCode,
                page.Headers,
                page.Body is ResponseBody.Json j ? j.Value.GetRawText() : page.Body.ToString() ?? ""
            )
            {
                Attempts = page.Attempts,
            }
        );
}

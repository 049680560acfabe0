using System.Diagnostics.CodeAnalysis;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Pagination as a pure <see cref="Operation{A}"/>: describe "every page of this listing" and compose it in LINQ
/// like any other step. Runs under every interpreter; pages are fetched one after another following
/// <c>links.next</c>, only to the host in the options, never to a page already fetched (see <see cref="PageTrail"/>).
/// The whole result is kept, so prefer <c>PaginateAsync</c> (streaming) for very large listings.
/// </summary>
public static class PaginationOperations
{
    /// <summary>Every page of the listing, as documents, in order.</summary>
    /// <example><code>
    /// var program =
    ///     from pages in new RequestOperation(HttpMethod.Get, "/api/lists").AllPages()
    ///     select pages.Sum(p => p.Resources.Count);
    /// </code></example>
    /// <param name="first">The first page's operation.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    public static Operation<Seq<JsonApiDocument>> AllPages(
        this RequestOperation first,
        int? maxPages = null
    ) =>
        maxPages is <= 0
            ? Operation.Pure(Seq<JsonApiDocument>())
            : Operation
                .Options()
                .Bind(options =>
                    Fetch(first, PageTrail.Start(first), options, Seq<JsonApiDocument>(), maxPages)
                );

    /// <summary>Every resource of every page, in order.</summary>
    /// <param name="first">The first page's operation.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    public static Operation<Seq<JsonApiResource>> AllResources(
        this RequestOperation first,
        int? maxPages = null
    ) => first.AllPages(maxPages).Map(pages => pages.Bind(p => p.Resources));

    /// <summary>Every resource of every page, attributes decoded into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Your record for the attributes.</typeparam>
    /// <param name="first">The first page's operation.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public static Operation<Seq<JsonApiResource<T>>> AllResources<T>(
        this RequestOperation first,
        int? maxPages = null
    ) =>
        first
            .AllPages(maxPages)
            .Bind(pages =>
                pages.Fold(
                    Right<KlaviyoError, Seq<JsonApiResource<T>>>(Seq<JsonApiResource<T>>()),
                    (acc, page) => acc.Bind(all => page.DataAs<T>().Map(items => all + items))
                )
            );

    private static Operation<Seq<JsonApiDocument>> Fetch(
        RequestOperation page,
        PageTrail trail,
        KlaviyoOptions options,
        Seq<JsonApiDocument> done,
        int? maxPages
    ) =>
        page.ToOperation()
            .Bind(response =>
                response
                    .Document()
                    .Bind(document =>
                        done.Count + 1 >= maxPages
                            ? Right<
                                KlaviyoError,
                                (JsonApiDocument, Option<(RequestOperation, PageTrail)>)
                            >((document, None))
                            : trail.Follow(page, response, options).Map(next => (document, next))
                    )
            )
            .Bind(step =>
            {
                var (document, next) = step;
                var pages = done.Add(document);
                return next.Match(
                    n => Fetch(n.Item1, n.Item2, options, pages, maxPages),
                    () => Operation.Pure(pages)
                );
            });
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Klaviyo;

/// <summary>
/// Auto-pagination for list operations: follow <c>links.next</c> and stream pages or their resources as
/// <see cref="IAsyncEnumerable{T}"/>, holding only the current page. Works under every interpreter.
/// </summary>
public static class PaginationExtensions
{
    /// <summary>
    /// Every resource of every page (each item of <c>data</c>), in order, fetching the next page only when the
    /// current one is used up. A failed page raises <see cref="KlaviyoException"/>; so does a <c>links.next</c> to
    /// another host (the credentials would go there).
    /// </summary>
    /// <example><code>
    /// await foreach (var profile in Profiles.GetProfiles(pageSize: 100).PaginateAsync(options))
    ///     Console.WriteLine(profile.Id);
    /// </code></example>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="options">The options every page uses; <see cref="KlaviyoOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    public static async IAsyncEnumerable<JsonApiResource> PaginateAsync(
        this RequestOperation operation,
        KlaviyoOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default,
        int? maxPages = null
    )
    {
        await foreach (
            var page in operation
                .PagesAsync(options, cancellationToken, maxPages)
                .ConfigureAwait(false)
        )
        foreach (var resource in page.Resources)
        {
            // Cancelled while the caller held an item: stop at once, not after the rest of the page.
            cancellationToken.ThrowIfCancellationRequested();
            yield return resource;
        }
    }

    /// <summary>
    /// Every resource of every page with its attributes decoded into <typeparamref name="T"/> (lenient; see
    /// <see cref="JsonApiResource.AttributesAs{T}()"/>). A mismatch raises <see cref="KlaviyoException"/> with a
    /// <see cref="KlaviyoError.Decode"/> naming the JSON path.
    /// </summary>
    /// <typeparam name="T">Your record for the attributes.</typeparam>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="options">The options every page uses.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public static async IAsyncEnumerable<JsonApiResource<T>> PaginateAsync<T>(
        this RequestOperation operation,
        KlaviyoOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default,
        int? maxPages = null
    )
    {
        await foreach (
            var page in operation
                .PagesAsync(options, cancellationToken, maxPages)
                .ConfigureAwait(false)
        )
        foreach (var resource in page.DataAs<T>().Match(r => r, e => throw new KlaviyoException(e)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return resource;
        }
    }

    /// <summary>
    /// Every page's response (status, headers, body), in order, following <c>links.next</c>: for callers who need
    /// the raw documents or the rate-limit headers of each page. Fails as <see cref="PagesAsync"/> does.
    /// </summary>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="options">The options every page uses.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    public static IAsyncEnumerable<KlaviyoResponse> PageResponsesAsync(
        this RequestOperation operation,
        KlaviyoOptions? options = null,
        CancellationToken cancellationToken = default,
        int? maxPages = null
    ) =>
        PageStream.ResponsesAsync(
            operation,
            options ?? KlaviyoOptions.Default,
            maxPages,
            cancellationToken
        );

    /// <summary>
    /// Every page as a whole JSON:API document (data, included, links, meta), in order. The reporting operations
    /// that page with <c>page_cursor</c> work the same way: their <c>links.next</c> carries the cursor, and the
    /// request body is sent again with it.
    /// </summary>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="options">The options every page uses.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    public static async IAsyncEnumerable<JsonApiDocument> PagesAsync(
        this RequestOperation operation,
        KlaviyoOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default,
        int? maxPages = null
    )
    {
        await foreach (
            var response in PageStream
                .ResponsesAsync(
                    operation,
                    options ?? KlaviyoOptions.Default,
                    maxPages,
                    cancellationToken
                )
                .ConfigureAwait(false)
        )
            yield return response.Document().Match(d => d, e => throw new KlaviyoException(e));
    }
}

using System.Runtime.CompilerServices;

namespace Klaviyo;

/// <summary>
/// Auto-pagination of typed listings (<see cref="ListingOperation{TPage, TItem}"/>, what the generated list
/// operations return): every resource of every page as the generated model, streamed.
/// </summary>
public static class TypedPaginationExtensions
{
    /// <summary>
    /// Every resource of every page, decoded into <typeparamref name="TItem"/> (lenient), in order, fetching the next
    /// page only when the current one is used up. A failed page or a resource of the wrong shape raises
    /// <see cref="KlaviyoException"/> (the latter with a <see cref="KlaviyoError.Decode"/> naming the path).
    /// </summary>
    /// <example><code>
    /// await foreach (var profile in Profiles.GetProfiles(pageSize: 100).PaginateAsync(options))
    ///     Console.WriteLine(profile.Attributes.Email);
    /// </code></example>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="options">The options every page uses; <see cref="KlaviyoOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    /// <typeparam name="TPage">The model of a page.</typeparam>
    /// <typeparam name="TItem">The model of a resource.</typeparam>
    public static async IAsyncEnumerable<TItem> PaginateAsync<TPage, TItem>(
        this ListingOperation<TPage, TItem> operation,
        KlaviyoOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default,
        int? maxPages = null
    )
    {
        await foreach (
            var page in operation
                .PageResponsesAsync(options, cancellationToken, maxPages)
                .ConfigureAwait(false)
        )
        foreach (
            var resource in TypedPagination
                .Resources<TItem>(page)
                .Match(r => r, e => throw new KlaviyoException(e))
        )
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return resource;
        }
    }
}

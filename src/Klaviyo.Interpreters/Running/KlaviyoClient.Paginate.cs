using System.Diagnostics.CodeAnalysis;

namespace Klaviyo;

public sealed partial class KlaviyoClient
{
    /// <summary>Every resource of every page of <paramref name="operation"/>, following <c>links.next</c>.</summary>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    public IAsyncEnumerable<JsonApiResource> PaginateAsync(
        RequestOperation operation,
        CancellationToken cancellationToken = default,
        int? maxPages = null
    ) => operation.PaginateAsync(Options, cancellationToken, maxPages);

    /// <summary>Every resource of every page, attributes decoded into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Your record for the attributes.</typeparam>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    [RequiresUnreferencedCode(TrimMessages.UserTypes)]
    [RequiresDynamicCode(TrimMessages.UserTypes)]
    public IAsyncEnumerable<JsonApiResource<T>> PaginateAsync<T>(
        RequestOperation operation,
        CancellationToken cancellationToken = default,
        int? maxPages = null
    ) => operation.PaginateAsync<T>(Options, cancellationToken, maxPages);

    /// <summary>Every page of <paramref name="operation"/> as a whole document.</summary>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="cancellationToken">Stops fetching at once.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    public IAsyncEnumerable<JsonApiDocument> PagesAsync(
        RequestOperation operation,
        CancellationToken cancellationToken = default,
        int? maxPages = null
    ) => operation.PagesAsync(Options, cancellationToken, maxPages);
}

using System.Runtime.CompilerServices;

namespace Klaviyo;

/// <summary>
/// Fetches pages one after another by following <c>links.next</c>, through the same send path as every other call
/// (so it works under every interpreter, with retry and rate limiting). Streams: only the current page is held.
/// </summary>
internal static class PageStream
{
    /// <summary>
    /// The responses of every page, in order, starting with <paramref name="operation"/>. Stops after the last page
    /// (no <c>links.next</c>), after <paramref name="maxPages"/> pages, or at once when cancelled. A failed page
    /// raises <see cref="KlaviyoException"/>; a <c>links.next</c> to another host (a validation error) or back to a
    /// page already fetched (a loop: <see cref="KlaviyoError.Decode"/>) raises one after the page carrying it was
    /// delivered; cancellation raises <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="operation">The first page's operation.</param>
    /// <param name="options">The options every page is fetched with (host, revision, credentials).</param>
    /// <param name="maxPages">The most pages to fetch; <c>null</c> for all.</param>
    /// <param name="cancellationToken">Stops fetching.</param>
    public static async IAsyncEnumerable<KlaviyoResponse> ResponsesAsync(
        RequestOperation operation,
        KlaviyoOptions options,
        int? maxPages = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        if (maxPages is <= 0)
            yield break;
        var current = operation;
        var trail = PageTrail.Start(operation);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await Exchange
                .SendAsync(current, options, cancellationToken)
                .ConfigureAwait(false);
            var response = result.Match(
                r => r,
                e =>
                    e is KlaviyoError.Cancelled
                        ? throw new OperationCanceledException(e.Message, cancellationToken)
                        : throw new KlaviyoException(e)
            );
            // The page is delivered first: a bad links.next (another host, a loop) fails after its items.
            yield return response;
            if (trail.Count >= maxPages)
                yield break;
            var next = trail
                .Follow(current, response, options)
                .Match(n => n, e => throw new KlaviyoException(e));
            if (next.IsNone)
                yield break;
            (current, trail) = next.Match(n => n, () => (current, trail));
        }
    }
}

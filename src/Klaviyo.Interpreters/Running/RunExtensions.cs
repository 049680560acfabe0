using LanguageExt;

namespace Klaviyo;

/// <summary>Running composed programs.</summary>
public static class RunExtensions
{
    /// <summary>
    /// Runs <paramref name="program"/> on <see cref="KlaviyoOptions.Client"/> (live HTTP by default). Each request
    /// is built, sent, classified and retried as the options say; the first error stops the program and is
    /// returned. Never throws for failures of a call; an exception thrown by your own function propagates.
    /// </summary>
    /// <example><code>
    /// var program =
    ///     from accounts in new RequestOperation(HttpMethod.Get, "/api/accounts")
    ///     from lists in new RequestOperation(HttpMethod.Get, "/api/lists")
    ///     select (accounts.StatusCode, lists.StatusCode);
    /// Either&lt;KlaviyoError, (int, int)&gt; result = await program.RunAsync(new KlaviyoOptions { ApiKey = "pk_xxx" });
    /// </code></example>
    /// <param name="program">The program.</param>
    /// <param name="options">The options; <see cref="KlaviyoOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the run: requests in flight, waits between retries, and the steps not yet run.</param>
    /// <returns>The program's value, or the first error. The value must not be <c>null</c> (an <c>Either</c> cannot hold one).</returns>
    public static Task<Either<KlaviyoError, A>> RunAsync<A>(
        this Operation<A> program,
        KlaviyoOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(program);
        return program.Interpret(
            Exchange.SendAsync,
            Exchange.WaitAsync,
            options ?? KlaviyoOptions.Default,
            cancellationToken
        );
    }
}

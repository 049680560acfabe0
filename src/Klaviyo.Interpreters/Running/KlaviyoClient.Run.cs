namespace Klaviyo;

public sealed partial class KlaviyoClient
{
    /// <summary>
    /// Runs a composed program with this client's options and returns its value, or throws
    /// <see cref="KlaviyoException"/> carrying the first error.
    /// </summary>
    /// <example><code>
    /// var client = new KlaviyoClient(new KlaviyoOptions { ApiKey = key });
    /// int status = await client.RunAsync(
    ///     from r in new RequestOperation(HttpMethod.Get, "/api/accounts") select r.StatusCode);
    /// </code></example>
    /// <param name="program">The program.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="KlaviyoException">A step failed; <see cref="KlaviyoException.Error"/> says why.</exception>
    public async Task<A> RunAsync<A>(
        Operation<A> program,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(program);
        // Boxed, so a program may yield null here (plain C#), which an Either could not hold.
        var result = await program
            .Map(value => new Box<A>(value))
            .RunAsync(Options, cancellationToken)
            .ConfigureAwait(false);
        return result.Match(box => box.Value, error => throw new KlaviyoException(error));
    }

    private sealed record Box<T>(T Value);
}

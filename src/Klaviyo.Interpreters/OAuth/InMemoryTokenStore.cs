namespace Klaviyo;

/// <summary>
/// Keeps the tokens in memory only: for tests, and for programs that get their tokens some other way at start
/// (pass them to the constructor). The tokens are lost when the process ends; a rotated refresh token with them.
/// </summary>
/// <param name="tokens">The tokens to start with; <c>null</c> for none.</param>
public sealed class InMemoryTokenStore(TokenSet? tokens = null) : ITokenStore
{
    private TokenSet? _tokens = tokens;

    /// <inheritdoc />
    public Task<TokenSet?> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Volatile.Read(ref _tokens));

    /// <inheritdoc />
    public Task SaveAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Volatile.Write(ref _tokens, tokens);
        return Task.CompletedTask;
    }

    /// <summary>Says whether it holds tokens, never what they are.</summary>
    public override string ToString() =>
        Volatile.Read(ref _tokens) is null
            ? "InMemoryTokenStore (empty)"
            : "InMemoryTokenStore (holding tokens)";
}

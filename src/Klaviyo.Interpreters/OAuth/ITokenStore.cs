namespace Klaviyo;

/// <summary>
/// Where an <see cref="OAuthSession"/> keeps its tokens between runs: <see cref="InMemoryTokenStore"/>,
/// <see cref="FileTokenStore"/>, or your own (a database row, a secrets manager). The session reads the store when it
/// starts and before each refresh (so tokens another process saved, or tokens you saved after authorizing again, are
/// picked up), and saves the new tokens after each refresh before it uses them.
/// </summary>
/// <remarks>
/// Implementations must be safe to call from several threads, should save the whole <see cref="TokenSet"/> in one
/// step (a reader sees the old set or the new one, never a mix), and must not put a token in an exception message or
/// in <c>ToString()</c> (reveal them with <see cref="Secret.Reveal"/> only to store them). An exception either method
/// throws reaches the caller as a <see cref="KlaviyoError.Transport"/> with nothing sent.
/// </remarks>
public interface ITokenStore
{
    /// <summary>The tokens stored, or <c>null</c> when there are none yet.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<TokenSet?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored tokens with <paramref name="tokens"/>.</summary>
    /// <param name="tokens">The tokens to keep.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SaveAsync(TokenSet tokens, CancellationToken cancellationToken);
}

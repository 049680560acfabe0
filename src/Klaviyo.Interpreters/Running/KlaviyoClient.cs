namespace Klaviyo;

/// <summary>
/// The plain C# facade: holds options and runs operations with ordinary async methods. Failures raise
/// <see cref="KlaviyoException"/> carrying the <see cref="KlaviyoError"/>; no LanguageExt needed to use it.
/// </summary>
/// <example><code>
/// var client = new KlaviyoClient(new KlaviyoOptions { ApiKey = key });
/// KlaviyoResponse profiles = await client.SendAsync(Profiles.GetProfiles());
/// </code></example>
public sealed partial class KlaviyoClient
{
    /// <summary>Creates a client with <paramref name="options"/>.</summary>
    /// <param name="options">The options; <see cref="KlaviyoOptions.Default"/> when <c>null</c>.</param>
    public KlaviyoClient(KlaviyoOptions? options = null) =>
        Options = options ?? KlaviyoOptions.Default;

    /// <summary>The options every call uses.</summary>
    public KlaviyoOptions Options { get; }

    /// <summary>Sends one operation and returns the response, or throws <see cref="KlaviyoException"/>.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<KlaviyoResponse> SendAsync(
        RequestOperation operation,
        CancellationToken cancellationToken = default
    )
    {
        var result = await Exchange
            .SendAsync(operation, Options, cancellationToken)
            .ConfigureAwait(false);
        return result.Match(r => r, e => throw new KlaviyoException(e));
    }

    /// <summary>The client's options, secrets masked.</summary>
    public override string ToString() => $"KlaviyoClient {{ {Options} }}";
}

/// <summary>Raised by <see cref="KlaviyoClient"/> when a call fails; <see cref="Error"/> says why.</summary>
public sealed class KlaviyoException : Exception
{
    /// <summary>Wraps <paramref name="error"/>.</summary>
    /// <param name="error">The error.</param>
    public KlaviyoException(KlaviyoError error)
        : base(error.ToString()) => Error = error;

    /// <summary>Why the call failed.</summary>
    public KlaviyoError Error { get; }
}

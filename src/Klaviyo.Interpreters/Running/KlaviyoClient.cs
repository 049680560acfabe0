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

    /// <summary>
    /// Sends one operation and reads its body as a JSON:API document (data, included, links, meta), or throws
    /// <see cref="KlaviyoException"/> (a failed call, or a body that is not a JSON:API document).
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<JsonApiDocument> GetDocumentAsync(
        RequestOperation operation,
        CancellationToken cancellationToken = default
    )
    {
        var response = await SendAsync(operation, cancellationToken).ConfigureAwait(false);
        return response.Document().Match(d => d, e => throw new KlaviyoException(e));
    }

    /// <summary>
    /// Sends one operation and decodes its primary data into resources whose attributes are
    /// <typeparamref name="T"/> (your record, or a generated model's attributes), or throws
    /// <see cref="KlaviyoException"/>.
    /// </summary>
    /// <typeparam name="T">The attributes' type.</typeparam>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<JsonApiResource<T>>> GetResourcesAsync<T>(
        RequestOperation operation,
        CancellationToken cancellationToken = default
    )
    {
        var response = await SendAsync(operation, cancellationToken).ConfigureAwait(false);
        return response
            .DataAs<T>()
            .Match(
                resources => (IReadOnlyList<JsonApiResource<T>>)resources.ToArray(),
                e => throw new KlaviyoException(e)
            );
    }

    /// <summary>
    /// Sends one operation and decodes the whole body into <typeparamref name="T"/>, a generated model from
    /// <c>Klaviyo.Models</c> (e.g. <c>GetProfileResponsePluralConversationsCollectionCompoundDocument</c>), leniently as
    /// <see cref="ModelJson"/> does; throws <see cref="KlaviyoException"/> when the call fails or the body does not fit.
    /// </summary>
    /// <typeparam name="T">The generated model.</typeparam>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<T> GetModelAsync<T>(
        RequestOperation operation,
        CancellationToken cancellationToken = default
    )
    {
        var response = await SendAsync(operation, cancellationToken).ConfigureAwait(false);
        if (!response.TryGetJson(out var json))
            throw new KlaviyoException(
                new KlaviyoError.Decode(
                    $"expected a JSON body to decode into {typeof(T).Name}, got {response.Body.GetType().Name.ToLowerInvariant()}",
                    response.StatusCode,
                    response.Headers,
                    ""
                )
            );
        return ModelJson.Decode<T>(json).Match(v => v, e => throw new KlaviyoException(e));
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

using LanguageExt;

namespace Klaviyo;

/// <summary>Running a single operation: the C# form of the original <c>send/2</c>.</summary>
public static class SendExtensions
{
    /// <summary>
    /// Builds the request, sends it with <see cref="KlaviyoOptions.Client"/> (live HTTP by default) and classifies
    /// the response. Never throws for failures of the call: they come back as <see cref="KlaviyoError"/>.
    /// </summary>
    /// <example><code>
    /// var result = await Events.GetEvents().SendAsync(new KlaviyoOptions { ApiKey = "pk_xxx" });
    /// </code></example>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options; <see cref="KlaviyoOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
        this RequestOperation operation,
        KlaviyoOptions? options = null,
        CancellationToken cancellationToken = default
    ) => Exchange.SendAsync(operation, options ?? KlaviyoOptions.Default, cancellationToken);
}

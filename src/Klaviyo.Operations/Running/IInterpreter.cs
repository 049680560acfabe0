using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The one capability every interpreter has: turn a concrete request into a raw response, or a transport
/// failure (<see cref="KlaviyoError.Transport"/>, <see cref="KlaviyoError.Timeout"/>,
/// <see cref="KlaviyoError.Cancelled"/>). Classification, composition, retry and pagination are built once
/// above it. Implementations must not throw for failures of the exchange; they return them.
/// </summary>
public interface IInterpreter
{
    /// <summary>Performs one exchange.</summary>
    /// <param name="request">The request to send (or print, record, answer).</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    );
}

using LanguageExt;

namespace Klaviyo.Tests;

/// <summary>An interpreter that answers from a function, for tests about what is done with answers, not the wire.</summary>
public sealed class FunctionInterpreter(Func<KlaviyoRequest, RawResponse> respond) : IInterpreter
{
    private int _calls;

    /// <summary>How many requests it answered.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult<Either<KlaviyoError, RawResponse>>(respond(request));
    }
}

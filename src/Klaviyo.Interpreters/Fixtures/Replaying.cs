using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The replaying transport: answers from a <see cref="FixtureReplayer"/> and sends nothing. A request the fixture has
/// no answer for goes to <c>onMiss</c> when there is one (recording new episodes), and is otherwise a
/// <see cref="KlaviyoError.FixtureMiss"/>.
/// </summary>
/// <param name="replayer">Where answers come from.</param>
/// <param name="onMiss">Where unmatched requests go; <c>null</c> to fail them.</param>
public sealed class Replaying(FixtureReplayer replayer, IInterpreter? onMiss = null) : IInterpreter
{
    /// <inheritdoc />
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromResult<Either<KlaviyoError, RawResponse>>(
                new KlaviyoError.Cancelled { Attempts = 0 }
            );
        var played = replayer.PlayAsync(request);
        return onMiss is not null && played.Result.IsLeft && IsMiss(played.Result)
            ? onMiss.ExecuteAsync(request, cancellationToken)
            : played;
    }

    private static bool IsMiss(Either<KlaviyoError, RawResponse> played) =>
        played.Match(_ => false, e => e is KlaviyoError.FixtureMiss);

    /// <summary>The replayer.</summary>
    public override string ToString() => $"Replaying({replayer.Source})";
}

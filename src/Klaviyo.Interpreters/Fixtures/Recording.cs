using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The recording wrapper: sends through <c>inner</c> and hands each exchange that got a response to a
/// <see cref="FixtureRecorder"/>, which redacts both sides before keeping them. Failures (no response) are not
/// recorded.
/// </summary>
/// <param name="inner">The interpreter that sends, usually live.</param>
/// <param name="recorder">Where exchanges go.</param>
public sealed class Recording(IInterpreter inner, FixtureRecorder recorder) : IInterpreter
{
    /// <inheritdoc />
    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        var outcome = await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        outcome.IfRight(response => recorder.Add(request, response));
        return outcome;
    }

    /// <summary>The wrapped interpreter and the recorder.</summary>
    public override string ToString() => $"Recording({recorder.Path}, {inner})";
}

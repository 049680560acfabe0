using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A fixture as a transport, with VCR's record modes (see <see cref="RecordMode"/>): <see cref="Replaying"/> from the
/// file's interactions, <see cref="Recording"/> around a real interpreter, or both. Created by
/// <see cref="Interpreter.Record"/> and <see cref="Interpreter.Replay"/>. New interactions are written by
/// <see cref="SaveAsync"/> or when it is disposed — dispose it (<c>await using</c>); nothing is saved otherwise.
/// </summary>
public sealed class FixtureInterpreter : IInterpreter, IAsyncDisposable, IDisposable
{
    private readonly IInterpreter _chain;
    private readonly FixtureRecorder? _recorder;
    private readonly FixtureReplayer? _replayer;

    internal FixtureInterpreter(
        string path,
        RecordMode mode,
        FixtureReplayer? replayer,
        FixtureRecorder? recorder,
        IInterpreter? inner
    )
    {
        Path = path;
        Mode = mode;
        _replayer = replayer;
        _recorder = recorder;
        IInterpreter? recording =
            recorder is not null && inner is not null ? new Recording(inner, recorder) : null;
        _chain = replayer is not null
            ? new Replaying(replayer, recording)
            : recording ?? throw new ArgumentException("nothing to replay and nothing to record");
    }

    /// <summary>The fixture file's full path.</summary>
    public string Path { get; }

    /// <summary>The record mode.</summary>
    public RecordMode Mode { get; }

    /// <summary>Whether requests the fixture does not answer are sent and recorded.</summary>
    public bool IsRecording => _recorder is not null;

    /// <summary>How many interactions the fixture holds: those loaded plus those recorded in this session.</summary>
    public int Count => _recorder?.Count ?? _replayer?.Count ?? 0;

    /// <inheritdoc />
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    ) => _chain.ExecuteAsync(request, cancellationToken);

    /// <summary>Writes what was recorded since the last save (see <see cref="FixtureRecorder.SaveAsync"/>).</summary>
    /// <param name="cancellationToken">Stops waiting for another process's save.</param>
    public Task SaveAsync(CancellationToken cancellationToken = default) =>
        _recorder?.SaveAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Saves what was recorded.</summary>
    public ValueTask DisposeAsync() => _recorder?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Saves what was recorded (blocking; prefer <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => _recorder?.Dispose();

    /// <summary>The fixture's path, mode and size.</summary>
    public override string ToString() =>
        $"FixtureInterpreter {{ Path = {Path}, Mode = {Mode}, Count = {Count} }}";
}

namespace Klaviyo;

public static partial class Interpreter
{
    /// <summary>
    /// An interpreter that records the exchanges of <paramref name="inner"/> to the fixture file
    /// <paramref name="path"/> and answers from it, as <paramref name="mode"/> says (VCR semantics). Secrets are
    /// redacted before anything is kept. The file is read now (when the mode replays) and written when the returned
    /// interpreter is saved or disposed — use <c>await using</c>.
    /// </summary>
    /// <example><code>
    /// await using var recorder = Interpreter.Record(Interpreter.Live(), "fixtures/profiles.json");
    /// var options = new KlaviyoOptions { ApiKey = apiKey, Client = recorder };
    /// var profiles = await new RequestOperation(HttpMethod.Get, "/api/profiles").SendAsync(options);
    /// </code></example>
    /// <param name="inner">The interpreter that sends what is recorded, usually <see cref="Live"/>.</param>
    /// <param name="path">The fixture file.</param>
    /// <param name="mode">When to record; <see cref="RecordMode.Once"/> by default.</param>
    /// <param name="options">Matching and filters; <see cref="FixtureOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="FileNotFoundException">The mode is <see cref="RecordMode.None"/> and the file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file exists but is not a fixture this library can read.</exception>
    public static FixtureInterpreter Record(
        IInterpreter inner,
        string path,
        RecordMode mode = RecordMode.Once,
        FixtureOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown record mode");
        var full = System.IO.Path.GetFullPath(path);
        FixtureStorage.RemoveOrphans(full);
        var bytes = File.Exists(full) ? File.ReadAllBytes(full) : null;
        var loaded = bytes is null ? [] : FixtureFile.Read(bytes, full);
        var stamp = bytes is null ? null : FixtureStorage.Stamp(bytes);
        FixtureReplayer Replayer() => new(loaded, options, full);
        FixtureRecorder Recorder(IReadOnlyList<Interaction> kept) =>
            new(full, options, kept, stamp);
        return mode switch
        {
            RecordMode.None when bytes is null => throw new FileNotFoundException(
                $"fixture '{full}' does not exist; record it first with Interpreter.Record(inner, path)",
                full
            ),
            RecordMode.None => new FixtureInterpreter(full, mode, Replayer(), null, null),
            RecordMode.Once when bytes is not null => new FixtureInterpreter(
                full,
                mode,
                Replayer(),
                null,
                null
            ),
            RecordMode.Once => new FixtureInterpreter(full, mode, null, Recorder([]), inner),
            RecordMode.NewEpisodes => new FixtureInterpreter(
                full,
                mode,
                Replayer(),
                Recorder(loaded),
                inner
            ),
            _ => new FixtureInterpreter(full, mode, null, Recorder([]), inner),
        };
    }
}

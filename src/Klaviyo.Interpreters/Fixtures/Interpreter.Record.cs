namespace Klaviyo;

public static partial class Interpreter
{
    /// <summary>
    /// An interpreter that records the exchanges of <paramref name="inner"/> to the fixture file
    /// <paramref name="path"/> and answers from it, as <paramref name="mode"/> says (VCR semantics). Secrets are
    /// redacted before anything is written. Dispose it to save; it also saves when the process exits.
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
        return new FixtureInterpreter(inner, path, mode, options);
    }
}

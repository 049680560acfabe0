namespace Klaviyo;

public static partial class Interpreter
{
    /// <summary>
    /// An interpreter that answers only from the fixture file <paramref name="path"/> (read now) and never sends
    /// anything. A request the fixture has no answer for is a <see cref="KlaviyoError.FixtureMiss"/> naming the
    /// request and the nearest recorded ones.
    /// </summary>
    /// <example><code>
    /// var options = new KlaviyoOptions { ApiKey = "test", Client = Interpreter.Replay("fixtures/profiles.json") };
    /// var profiles = await new RequestOperation(HttpMethod.Get, "/api/profiles").SendAsync(options);
    /// </code></example>
    /// <param name="path">The fixture file.</param>
    /// <param name="options">Matching and filters, as used when recording; <see cref="FixtureOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a fixture this library can read.</exception>
    public static FixtureInterpreter Replay(string path, FixtureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var replayer = FixtureReplayer.Load(path, options);
        return new FixtureInterpreter(replayer.Source, RecordMode.None, replayer, null, null);
    }
}

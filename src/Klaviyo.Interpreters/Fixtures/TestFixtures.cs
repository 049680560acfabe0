using System.Runtime.CompilerServices;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Fixtures for your own test suite (xUnit, NUnit, MSTest — no framework needed): one fixture file per test, named
/// after the test, recorded locally and replayed in CI. The mode comes from the <c>KLAVIYO_FIXTURES</c> environment
/// variable, so the same test code records on a developer's machine and replays on the build server.
/// </summary>
/// <remarks>
/// <para><c>KLAVIYO_FIXTURES</c>: <c>replay</c> (answer only from the file; a request it lacks, or a missing file, fails
/// with a <see cref="KlaviyoError.FixtureMiss"/> saying how to record it), <c>record</c> (send every request again and
/// rewrite the file), <c>new</c> (replay what is there, record what is not), <c>once</c> (record when the file is
/// missing, else replay). Unset: <c>replay</c> when the <c>CI</c> variable is set (as on GitHub Actions, GitLab,
/// Azure Pipelines), else <c>once</c>.</para>
/// <para>The file is <c>fixtures/&lt;test file&gt;.&lt;test method&gt;.json</c> beside the test's source file. Dispose the
/// returned interpreter (<c>await using</c>) to save what was recorded.</para>
/// </remarks>
/// <example><code>
/// [Fact]
/// public async Task Lists_the_first_page()
/// {
///     await using var fixture = TestFixtures.ForThisTest();
///     var options = new KlaviyoOptions { ApiKey = TestFixtures.ApiKey(), Client = fixture };
///     var lists = await Lists.GetLists().SendAsync(options);
///     Assert.True(lists.IsRight, lists.ToString());
/// }
/// </code></example>
public static class TestFixtures
{
    /// <summary>The environment variable choosing the mode: <c>replay</c>, <c>record</c>, <c>new</c> or <c>once</c>.</summary>
    public const string ModeVariable = "KLAVIYO_FIXTURES";

    /// <summary>
    /// The fixture interpreter for the calling test: its file is <c>fixtures/&lt;file&gt;.&lt;method&gt;.json</c> beside
    /// the caller's source file, its mode from <see cref="ModeVariable"/>.
    /// </summary>
    /// <param name="live">What records send with; the shared live interpreter when <c>null</c>.</param>
    /// <param name="options">Matching and filters (use the same when recording and replaying).</param>
    /// <param name="environment">Reads an environment variable; the process's when <c>null</c> (tests pass their own).</param>
    /// <param name="testFile">Filled in by the compiler: the caller's source file.</param>
    /// <param name="testName">Filled in by the compiler: the caller's method.</param>
    /// <exception cref="InvalidDataException">The fixture exists but cannot be read.</exception>
    /// <exception cref="ArgumentException"><see cref="ModeVariable"/> holds something else than the four modes.</exception>
    public static FixtureInterpreter ForThisTest(
        IInterpreter? live = null,
        FixtureOptions? options = null,
        Func<string, string?>? environment = null,
        [CallerFilePath] string testFile = "",
        [CallerMemberName] string testName = ""
    )
    {
        environment ??= Environment.GetEnvironmentVariable;
        var folder = Path.Combine(Path.GetDirectoryName(testFile) ?? ".", "fixtures");
        var path = Path.Combine(
            folder,
            $"{Path.GetFileNameWithoutExtension(testFile)}.{testName}.json"
        );
        return At(path, live, options, environment);
    }

    /// <summary>As <see cref="ForThisTest"/>, for a file you name.</summary>
    /// <param name="path">The fixture file.</param>
    /// <param name="live">What records send with; the shared live interpreter when <c>null</c>.</param>
    /// <param name="options">Matching and filters.</param>
    /// <param name="environment">Reads an environment variable; the process's when <c>null</c>.</param>
    public static FixtureInterpreter At(
        string path,
        IInterpreter? live = null,
        FixtureOptions? options = null,
        Func<string, string?>? environment = null
    )
    {
        environment ??= Environment.GetEnvironmentVariable;
        var advice =
            $"to record it, run the test once with {ModeVariable}=new (or =record to record the whole file again) "
            + "and KLAVIYO_API_KEY set";
        options = (options ?? FixtureOptions.Default) with { MissAdvice = advice };
        var mode = Mode(environment);
        if (mode == RecordMode.None && !File.Exists(Path.GetFullPath(path)))
            return Interpreter.Missing(Path.GetFullPath(path), options);
        return Interpreter.Record(live ?? Interpreter.Default, path, mode, options);
    }

    /// <summary>
    /// The API key for a test: <c>KLAVIYO_API_KEY</c> when set (needed to record), else a placeholder (enough to
    /// replay, since nothing is sent).
    /// </summary>
    /// <param name="environment">Reads an environment variable; the process's when <c>null</c>.</param>
    public static string ApiKey(Func<string, string?>? environment = null) =>
        (environment ?? Environment.GetEnvironmentVariable)("KLAVIYO_API_KEY")
            is { Length: > 0 } key
            ? key
            : "pk_replaying_no_key_needed";

    /// <summary>The record mode the environment asks for.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    public static RecordMode Mode(Func<string, string?> environment) =>
        environment(ModeVariable)?.Trim().ToLowerInvariant() switch
        {
            null or "" => string.IsNullOrEmpty(environment("CI"))
                ? RecordMode.Once
                : RecordMode.None,
            "replay" or "none" => RecordMode.None,
            "record" or "all" => RecordMode.All,
            "new" or "new-episodes" or "newepisodes" => RecordMode.NewEpisodes,
            "once" => RecordMode.Once,
            var other => throw new ArgumentException(
                $"{ModeVariable} must be replay, record, new or once, not '{other}'"
            ),
        };
}

public static partial class Interpreter
{
    // A fixture that does not exist yet, in replay mode: every request is a miss that says how to record it.
    internal static FixtureInterpreter Missing(string path, FixtureOptions options) =>
        new(path, RecordMode.None, new FixtureReplayer([], options, path), null, null);
}

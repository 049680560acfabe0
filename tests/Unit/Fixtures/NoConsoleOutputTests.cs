using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.Fixtures.FixtureTestKit;
using static Klaviyo.Tests.TestOptions;

namespace Klaviyo.Tests.Fixtures;

/// <summary>Tests that replace <see cref="Console.Out"/> and <see cref="Console.Error"/>: they run alone.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>The library never writes to the console: recording, replaying, missing, merging and dry runs say nothing there.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class NoConsoleOutputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Record_replay_miss_merge_cleanup_and_dry_run_write_nothing_to_the_console()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        var dryRun = new StringWriter();
        try
        {
            await using var server = await NumberedServer();
            using var live = Interpreter.Live();
            var path = _folder.File();
            var first = Interpreter.Record(live, path);
            var second = Interpreter.Record(live, path);
            Ok(await Get("/api/one").SendAsync(server.Options(With(first))));
            Ok(await Get("/api/two").SendAsync(server.Options(With(second))));
            await first.DisposeAsync();
            await second.DisposeAsync();
            File.WriteAllText(_folder.File($".fixture.json.{Guid.NewGuid():N}.tmp"), "{");
            var replay = Interpreter.Replay(path);
            Ok(await Get("/api/one").SendAsync(With(replay)));
            Assert.IsType<KlaviyoError.FixtureMiss>(
                Err(await Get("/api/three").SendAsync(With(replay)))
            );
            var never = Interpreter.Record(live, _folder.File("never-saved.json"));
            Ok(await Get("/api/one").SendAsync(server.Options(With(never))));
            Ok(await Get("/api/one").SendAsync(With(Interpreter.DryRun(dryRun))));
            Err(await Get("/api/one").SendAsync(With(Interpreter.Stub())));
            // A recorder whose save must fail (its folder became a file), then what the process would run at exit.
            var blocked = Path.Combine(_folder.Root, "blocked");
            var unsavable = Interpreter.Record(live, Path.Combine(blocked, "f.json"));
            Ok(await Get("/api/one").SendAsync(server.Options(With(unsavable))));
            File.WriteAllText(blocked, "a file where the folder should be");
            RunKlaviyoProcessExitHandlers();
            await Assert.ThrowsAnyAsync<IOException>(() => unsavable.SaveAsync());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }

        Assert.Contains("curl", dryRun.ToString());
        Assert.Equal("", stdout.ToString());
        Assert.Equal("", stderr.ToString());
    }

    /// <summary>Runs the process-exit handlers the library's assemblies subscribed, if any (there should be none).</summary>
    private static void RunKlaviyoProcessExitHandlers()
    {
        var field = typeof(AppDomain).GetField(
            "ProcessExit",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance
        );
        var handlers = (Delegate?)field?.GetValue(AppDomain.CurrentDomain);
        foreach (var handler in handlers?.GetInvocationList() ?? [])
            if (handler.Method.DeclaringType?.Assembly == typeof(FixtureRecorder).Assembly)
                ((EventHandler)handler)(null, EventArgs.Empty);
    }
}

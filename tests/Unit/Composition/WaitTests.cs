using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Composition;

/// <summary><see cref="Operation.Wait"/>: a pure step the runner waits on the options' clock.</summary>
public class WaitTests
{
    private static readonly RequestOperation Job = new(HttpMethod.Get, "/api/jobs/1");

    [Fact]
    public async Task A_program_waits_on_the_options_clock_between_its_requests()
    {
        var clock = new ObservableClock();
        var stub = Interpreter.Stub(_ => StubResponse.Status(200, """{"data":[]}"""));
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_test",
            Client = stub,
            ClientOptions = new ClientOptions { TimeProvider = clock },
        };
        var program =
            from first in Job
            from _ in Operation.Wait(TimeSpan.FromSeconds(30))
            from second in Job
            select second.StatusCode;

        var result = await clock.DriveAsync(program.RunAsync(options));

        Assert.Equal(200, result.Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message)));
        Assert.Equal([TimeSpan.FromSeconds(30)], clock.Waits);
        Assert.Equal(2, stub.Calls.Count);
    }

    [Fact]
    public async Task Cancelling_during_a_wait_ends_the_program_at_once_with_Cancelled()
    {
        var clock = new ObservableClock();
        var stub = Interpreter.Stub(_ => StubResponse.Status(200, """{"data":[]}"""));
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_test",
            Client = stub,
            ClientOptions = new ClientOptions { TimeProvider = clock },
        };
        using var cts = new CancellationTokenSource();
        var program = Operation.Wait(TimeSpan.FromHours(1)).Bind(_ => Job.ToOperation());

        var running = program.RunAsync(options, cts.Token);
        cts.Cancel();
        var result = await running;

        Assert.IsType<KlaviyoError.Cancelled>(result.Match(_ => null!, e => e));
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task A_dry_run_does_not_wait()
    {
        var clock = new ObservableClock();
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_test",
            Client = Interpreter.DryRun(TextWriter.Null),
            ClientOptions = new ClientOptions { TimeProvider = clock },
        };

        var result = await Operation
            .Wait(TimeSpan.FromDays(1))
            .Bind(_ => Job.ToOperation())
            .RunAsync(options);

        Assert.True(result.IsRight);
        Assert.Empty(clock.Waits);
    }
}

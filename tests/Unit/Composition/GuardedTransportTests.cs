using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.TestOptions;

namespace Klaviyo.Tests.Composition;

/// <summary>
/// What the guard around the transport promises, whatever the transport does: a cancelled token ends the exchange
/// before it starts, and an exception (thrown, or in a faulted task) becomes a transport failure naming the
/// transport, scrubbed; an answer already there passes through unchanged.
/// </summary>
public class GuardedTransportTests
{
    private static readonly RequestOperation Get = new(HttpMethod.Get, "/api/a");

    private sealed class Transport(
        Func<KlaviyoRequest, CancellationToken, Task<Either<KlaviyoError, RawResponse>>> answer
    ) : IInterpreter
    {
        public int Calls;

        public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        )
        {
            Calls++;
            return answer(request, cancellationToken);
        }
    }

    private static string Reason(Either<KlaviyoError, KlaviyoResponse> result) =>
        Assert.IsType<KlaviyoError.Transport>(Err(result)).Reason;

    [Fact]
    public async Task An_answer_already_there_is_passed_on_unchanged()
    {
        var transport = new Transport(
            (_, _) =>
                Task.FromResult<Either<KlaviyoError, RawResponse>>(
                    new RawResponse(418, default, ReadOnlyMemory<byte>.Empty)
                )
        );

        var result = await Get.SendAsync(With(transport));

        Assert.Equal(418, Assert.IsType<KlaviyoError.Api>(Err(result)).Response.StatusCode);
        Assert.Equal(1, transport.Calls);
    }

    [Fact]
    public async Task A_transport_that_throws_is_a_transport_failure_naming_it_scrubbed_of_secrets()
    {
        var transport = new Transport(
            (_, _) => throw new InvalidOperationException($"refused key {ApiKey}")
        );

        var reason = Reason(await Get.SendAsync(With(transport)));

        Assert.StartsWith("Transport failed: refused key ", reason);
        Assert.DoesNotContain(ApiKey, reason);
    }

    [Fact]
    public async Task A_faulted_answer_is_a_transport_failure_naming_the_transport()
    {
        var transport = new Transport(
            (_, _) =>
                Task.FromException<Either<KlaviyoError, RawResponse>>(
                    new InvalidOperationException("boom")
                )
        );

        Assert.Equal("Transport failed: boom", Reason(await Get.SendAsync(With(transport))));
    }

    [Fact]
    public async Task A_stub_answer_that_throws_is_a_transport_failure_naming_the_stub()
    {
        var stub = Interpreter.Stub(_ => throw new InvalidOperationException("boom"));

        Assert.Equal("StubInterpreter failed: boom", Reason(await Get.SendAsync(With(stub))));
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task A_null_answer_is_a_transport_failure()
    {
        var transport = new Transport((_, _) => null!);

        Assert.StartsWith("Transport failed: ", Reason(await Get.SendAsync(With(transport))));
    }

    [Fact]
    public async Task A_pending_answer_is_awaited()
    {
        var gate = new TaskCompletionSource<Either<KlaviyoError, RawResponse>>(
            TaskCreationOptions.RunContinuationsAsynchronously
        );
        var transport = new Transport((_, _) => gate.Task);

        var pending = Get.SendAsync(With(transport));
        gate.SetResult(new RawResponse(204, default, ReadOnlyMemory<byte>.Empty));

        Assert.Equal(204, Ok(await pending).StatusCode);
    }

    [Fact]
    public async Task A_cancellation_the_caller_asked_for_while_in_flight_is_Cancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new Transport(
            async (_, token) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, token);
                throw new InvalidOperationException("not reached");
            }
        );
        using var cts = new CancellationTokenSource();

        var pending = Get.SendAsync(With(transport), cts.Token);
        await started.Task;
        await cts.CancelAsync();

        Assert.IsType<KlaviyoError.Cancelled>(Err(await pending));
    }

    [Fact]
    public async Task An_exchange_with_a_cancelled_token_never_reaches_the_transport()
    {
        var transport = new Transport(
            (_, _) =>
                Task.FromResult<Either<KlaviyoError, RawResponse>>(
                    new RawResponse(200, default, ReadOnlyMemory<byte>.Empty)
                )
        );

        var result = await Get.SendAsync(With(transport), new CancellationToken(true));

        Assert.Equal(0, Assert.IsType<KlaviyoError.Cancelled>(Err(result)).Attempts);
        Assert.Equal(0, transport.Calls);
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using LanguageExt;
using Xunit;

namespace Klaviyo.Tests.Scale;

/// <summary>
/// A million-step program runs to the end on a thread whose stack holds only a few thousand frames, so the runner
/// cannot be spending stack per step. The stub answers synchronously, so the whole run stays on that thread.
/// </summary>
public class ConstantStackTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Steps = 1_000_000;
    private const int SmallStack = 256 * 1024;

    private static readonly RequestOperation Ping = new(HttpMethod.Get, "/api/accounts");

    public enum Shape
    {
        LeftNestedBinds,
        RightNestedRecursion,
        Maps,
        Sequence,
    }

    /// <summary>What the run saw: its result, the thread of every step, and the stack depth now and then.</summary>
    private sealed class Probe
    {
        public int SmallThread;
        public int StepsOffThread;
        public int MinDepth = int.MaxValue;
        public int MaxDepth;
        public int Samples;

        public int Next(int n)
        {
            if (Environment.CurrentManagedThreadId != SmallThread)
                StepsOffThread++;
            if (n % 50_000 == 0)
            {
                var depth = new StackTrace(false).FrameCount;
                MinDepth = Math.Min(MinDepth, depth);
                MaxDepth = Math.Max(MaxDepth, depth);
                Samples++;
            }
            return n + 1;
        }
    }

    private static Operation<int> Program(Shape shape, Probe probe)
    {
        // Every ten-thousandth step sends, so the interpreter and the send path are part of the chain. The probe runs
        // inside a Map, so it runs when the runner reaches the step, not when the program is built.
        Operation<int> Step(int n) =>
            n % 10_000 == 0
                ? Operation.Send(Ping).Map(_ => probe.Next(n))
                : Operation.Pure(n).Map(probe.Next);
        switch (shape)
        {
            case Shape.LeftNestedBinds:
            {
                var program = Operation.Pure(0);
                for (var i = 0; i < Steps; i++)
                    program = program.Bind(Step);
                return program;
            }
            case Shape.RightNestedRecursion:
            {
                Operation<int> CountFrom(int n) =>
                    n == Steps ? Operation.Pure(n) : Step(n).Bind(CountFrom);
                return CountFrom(0);
            }
            case Shape.Maps:
            {
                var program = Operation.Send(Ping).Map(_ => 0);
                for (var i = 0; i < Steps; i++)
                    program = program.Map(probe.Next);
                return program;
            }
            default:
                return Operation
                    .Sequence(Enumerable.Range(0, Steps).Select(Step))
                    .Map(values => values.Count);
        }
    }

    /// <summary>How many nested calls of a small recursive function fit on the current thread's stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FramesThatFit(int depth = 0) =>
        RuntimeHelpers.TryEnsureSufficientExecutionStack() && depth < Steps
            ? FramesThatFit(depth + 1)
            : depth;

    [Theory]
    [InlineData(Shape.LeftNestedBinds)]
    [InlineData(Shape.RightNestedRecursion)]
    [InlineData(Shape.Maps)]
    [InlineData(Shape.Sequence)]
    public void A_million_step_program_runs_on_a_256_KiB_stack_in_constant_depth(Shape shape)
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200, """{"data":[]}""");
        var options = new KlaviyoOptions { ApiKey = "pk_scale_0123456789abcdef", Client = stub };
        var probe = new Probe();
        var program = Program(shape, probe);
        Either<KlaviyoError, int> result = default;
        Exception? failure = null;
        var framesThatFit = 0;

        var thread = new Thread(
            () =>
            {
                try
                {
                    probe.SmallThread = Environment.CurrentManagedThreadId;
                    framesThatFit = FramesThatFit();
                    // Synchronous answers complete every await inline, so the run never leaves this thread.
                    result = program.RunAsync(options).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            maxStackSize: SmallStack
        );
        thread.Start();
        thread.Join();

        output.WriteLine(
            $"{shape}: {framesThatFit} frames fit on the thread; stack depth {probe.MinDepth}–{probe.MaxDepth} over {probe.Samples} samples"
        );
        Assert.Null(failure);
        Assert.Equal(
            Steps,
            result.Match(v => v, e => throw new Xunit.Sdk.XunitException(e.ToString()))
        );
        // A runner that used even one frame per step could not have finished here.
        Assert.InRange(framesThatFit, 1, Steps / 10);
        Assert.Equal(0, probe.StepsOffThread);
        Assert.Equal(shape == Shape.Maps ? 1 : Steps / 10_000, stub.Calls.Count);
        // Sampled throughout the run, the stack is as deep at the millionth step as at the first.
        Assert.True(probe.Samples >= Steps / 50_000);
        Assert.InRange(probe.MaxDepth - probe.MinDepth, 0, 8);
    }
}

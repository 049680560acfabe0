using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.TestOptions;

namespace Klaviyo.Tests.Composition;

/// <summary>
/// Long programs must run in constant stack. A recursive runner would overflow (and take the test process down)
/// long before a million steps, so finishing is the assertion; the counts check that every step ran.
/// </summary>
public class StackSafetyTests
{
    private const int Steps = 1_000_000;

    private static readonly RequestOperation Ping = new(HttpMethod.Get, "/api/accounts");

    // Every ten-thousandth step sends, so the interpreter is part of the chain without making it slow.
    private static Operation<int> Step(int n) =>
        n % 10_000 == 0 ? Operation.Send(Ping).Map(_ => n + 1) : Operation.Pure(n + 1);

    [Fact]
    public async Task A_left_nested_chain_of_a_million_binds_runs_without_overflowing_the_stack()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        var program = Operation.Pure(0);
        for (var i = 0; i < Steps; i++)
            program = program.Bind(Step);

        Assert.Equal(Steps, Ok(await program.RunAsync(With(stub))));
        Assert.Equal(Steps / 10_000, stub.Calls.Count);
    }

    [Fact]
    public async Task A_right_nested_recursive_chain_of_a_million_binds_runs_without_overflowing_the_stack()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        Operation<int> CountFrom(int n) => n == Steps ? Operation.Pure(n) : Step(n).Bind(CountFrom);

        Assert.Equal(Steps, Ok(await CountFrom(0).RunAsync(With(stub))));
        Assert.Equal(Steps / 10_000, stub.Calls.Count);
    }

    [Fact]
    public async Task A_million_maps_in_a_row_run_without_overflowing_the_stack()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        var program = Operation.Send(Ping).Map(_ => 0);
        for (var i = 0; i < Steps; i++)
            program = program.Map(x => x + 1);

        Assert.Equal(Steps, Ok(await program.RunAsync(With(stub))));
        Assert.StartsWith("Operation { send GET /api/accounts, then ", program.ToString());
    }

    [Fact]
    public async Task Binds_nested_inside_binds_a_million_deep_run_without_overflowing_the_stack()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        // ((p >>= f) >>= g) built inside continuations: each continuation returns a left-nested pair.
        Operation<int> Nest(int n) =>
            n >= Steps ? Operation.Pure(n) : Operation.Pure(n).Bind(Step).Bind(Nest);

        Assert.Equal(Steps, Ok(await Nest(0).RunAsync(With(stub))));
        Assert.Equal(Steps / 10_000, stub.Calls.Count);
    }

    [Fact]
    public async Task Many_synchronously_answered_sends_in_a_row_do_not_grow_the_stack()
    {
        // The stub answers synchronously, so every await completes inline; a runner that recursed per step
        // (rather than looping) would overflow here.
        const int sends = 50_000;
        var stub = Interpreter.Stub().WhenAny().Respond(204);
        Operation<int> Send(int n) =>
            n == sends ? Operation.Pure(n) : Operation.Send(Ping).Bind(_ => Send(n + 1));

        Assert.Equal(sends, Ok(await Send(0).RunAsync(With(stub))));
        Assert.Equal(sends, stub.Calls.Count);
    }

    [Fact]
    public async Task A_sequence_of_many_steps_runs_without_overflowing_the_stack()
    {
        var stub = Interpreter.Stub().WhenAny().Respond(200);
        var program = Operation
            .Sequence(Enumerable.Range(0, Steps).Select(Step))
            .Map(values => values.Count);

        Assert.Equal(Steps, Ok(await program.RunAsync(With(stub))));
    }
}

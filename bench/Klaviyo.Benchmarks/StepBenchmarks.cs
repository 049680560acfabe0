using BenchmarkDotNet.Attributes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Benchmarks;

/// <summary>
/// What running a composed program costs per step, with nothing on the wire: a program of <see cref="Steps"/>
/// chained <c>Bind</c>s run by <c>RunAsync</c>; BenchmarkDotNet divides by <see cref="Steps"/>
/// (<c>OperationsPerInvoke</c>), so each row is the time and allocation of one step. Target: at most 200 ns per
/// step under <c>Interpreter.Stub()</c>.
/// <list type="bullet">
/// <item><c>Send step, Interpreter.Stub()</c> — each step sends a GET through the whole exchange (build, stub, classify
/// a small JSON body) and binds to the next. A fresh stub per run, because a stub keeps every request it received by
/// default (<see cref="StubInterpreter.Calls"/>); the stub and options are made once per 1,000 steps.</item>
/// <item><c>Send step, Interpreter.Stub().KeepCalls(0)</c> — the same with a stub told to keep no request (it still
/// counts them, <see cref="StubInterpreter.CallCount"/>): what a test suite sending many requests through one stub
/// would use, and the figure the target is about.</item>
/// <item><c>Send step, generated operation, …</c> — the same with the generated <c>Accounts.GetAccounts()</c>
/// (an operation id, so its query is checked against the catalog) instead of a hand-built GET.</item>
/// <item><c>Send step, bare interpreter</c> — the same chain on an interpreter that returns one completed task, to
/// separate the stub's own matching and bookkeeping from the exchange.</item>
/// <item><c>Pure bind</c> — <c>Bind(n =&gt; Operation.Pure(n + 1))</c>: the runner alone.</item>
/// <item><c>Part: …</c> — the parts of a send step one at a time, on the same request and answer: building the
/// request, the stub answering a built request, classifying the answer. What a send step costs beyond their sum is
/// the runner and the pipeline around the transport (tracing and guard layers).</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    public const int Steps = 1000;

    private static readonly RawResponse Answer = new(
        200,
        Seq1(("content-type", MediaTypes.JsonApi)),
        """{"data":[],"links":{"self":"https://a.klaviyo.com/api/profiles","next":null}}"""u8.ToArray()
    );
    private static readonly StubResponse StubAnswer = StubResponse.Raw(Answer);

    private readonly KlaviyoOptions _options = new() { ApiKey = "pk_benchmark_key" };
    private KlaviyoOptions _bare = null!;
    private Operation<KlaviyoResponse> _sends = null!;
    private Operation<int> _pure = null!;
    private Operation<KlaviyoResponse> _generatedSends = null!;
    private RequestOperation _get = null!;
    private RequestOperation _generated = null!;
    private KlaviyoRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _get = new RequestOperation(HttpMethod.Get, "/api/profiles");
        _request = RequestBuilder
            .Build(_get, _options)
            .Match(r => r, e => throw new InvalidOperationException(e.Message));
        var send = Operation.Send(_get);
        var sends = send;
        for (var i = 1; i < Steps; i++)
            sends = sends.Bind(_ => send);
        _sends = sends;

        _generated = Accounts.GetAccounts();
        var generatedSend = Operation.Send(_generated);
        var generatedSends = generatedSend;
        for (var i = 1; i < Steps; i++)
            generatedSends = generatedSends.Bind(_ => generatedSend);
        _generatedSends = generatedSends;

        var pure = Operation.Pure(0);
        for (var i = 0; i < Steps; i++)
            pure = pure.Bind(n => Operation.Pure(n + 1));
        _pure = pure;

        _bare = _options with { Client = new BareInterpreter(Answer) };
    }

    [Benchmark(Description = "Send step, Interpreter.Stub()", OperationsPerInvoke = Steps)]
    public async Task<int> SendStepStub()
    {
        var options = _options with { Client = Interpreter.Stub(_ => StubAnswer) };
        var result = await _sends.RunAsync(options);
        return result.IsRight ? Steps : throw new InvalidOperationException(result.ToString());
    }

    [Benchmark(
        Description = "Send step, Interpreter.Stub().KeepCalls(0)",
        OperationsPerInvoke = Steps
    )]
    public async Task<int> SendStepStubKeepingNoCalls()
    {
        var options = _options with { Client = Interpreter.Stub(_ => StubAnswer).KeepCalls(0) };
        var result = await _sends.RunAsync(options);
        return result.IsRight ? Steps : throw new InvalidOperationException(result.ToString());
    }

    [Benchmark(
        Description = "Send step, generated operation, Interpreter.Stub().KeepCalls(0)",
        OperationsPerInvoke = Steps
    )]
    public async Task<int> SendStepGeneratedStubKeepingNoCalls()
    {
        var options = _options with { Client = Interpreter.Stub(_ => StubAnswer).KeepCalls(0) };
        var result = await _generatedSends.RunAsync(options);
        return result.IsRight ? Steps : throw new InvalidOperationException(result.ToString());
    }

    [Benchmark(Description = "Send step, bare interpreter", OperationsPerInvoke = Steps)]
    public async Task<int> SendStepBare()
    {
        var result = await _sends.RunAsync(_bare);
        return result.IsRight ? Steps : throw new InvalidOperationException(result.ToString());
    }

    [Benchmark(
        Description = "Send step, bare interpreter, new options per run",
        OperationsPerInvoke = Steps
    )]
    public async Task<int> SendStepBareFreshOptions()
    {
        // As the stub row makes its options: separates what a new options instance costs from what the stub does.
        var result = await _sends.RunAsync(_options with { Client = new BareInterpreter(Answer) });
        return result.IsRight ? Steps : throw new InvalidOperationException(result.ToString());
    }

    [Benchmark(Description = "Pure bind", OperationsPerInvoke = Steps)]
    public async Task<int> PureBind()
    {
        var result = await _pure.RunAsync(_options);
        return result.Match(n => n, e => throw new InvalidOperationException(e.Message));
    }

    [Benchmark(Description = "Part: build the request", OperationsPerInvoke = Steps)]
    public int PartBuild()
    {
        var built = 0;
        for (var i = 0; i < Steps; i++)
            if (RequestBuilder.Build(_get, _options).IsRight)
                built++;
        return built;
    }

    [Benchmark(Description = "Part: build the generated request", OperationsPerInvoke = Steps)]
    public int PartBuildGenerated()
    {
        var built = 0;
        for (var i = 0; i < Steps; i++)
            if (RequestBuilder.Build(_generated, _options).IsRight)
                built++;
        return built;
    }

    [Benchmark(
        Description = "Part: Interpreter.Stub() answers a built request",
        OperationsPerInvoke = Steps
    )]
    public int PartStub()
    {
        var stub = Interpreter.Stub(_ => StubAnswer);
        var answered = 0;
        for (var i = 0; i < Steps; i++)
            if (stub.ExecuteAsync(_request, CancellationToken.None).Result.IsRight)
                answered++;
        return answered;
    }

    [Benchmark(Description = "Part: classify the answer", OperationsPerInvoke = Steps)]
    public int PartClassify()
    {
        var classified = 0;
        for (var i = 0; i < Steps; i++)
            if (ResponseClassifier.Classify(Answer, _options.JsonCodec, _request.Secrets).IsRight)
                classified++;
        return classified;
    }

    /// <summary>Answers every request with the same completed task: no matching, no bookkeeping.</summary>
    private sealed class BareInterpreter(RawResponse answer) : IInterpreter
    {
        private readonly Task<Either<KlaviyoError, RawResponse>> _answer = Task.FromResult(
            Right<KlaviyoError, RawResponse>(answer)
        );

        public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        ) => _answer;
    }
}

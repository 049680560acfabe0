namespace Klaviyo;

/// <summary>
/// Runs an <see cref="Operation{A}"/>'s step tree. One loop with an explicit stack of continuations, so neither
/// long chains nor synchronously completing interpreters grow the call stack. Every request goes through the send
/// function it is given (the interpreters' one send path: build, chain, classify); the runner itself does no I/O.
/// </summary>
internal static class Runner
{
    /// <summary>Waits (on the options' clock, or not at all in a dry run).</summary>
    internal delegate Task Wait(
        TimeSpan delay,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    );

    /// <summary>Sends one operation: build, interpret, classify.</summary>
    internal delegate Task<LanguageExt.Either<KlaviyoError, KlaviyoResponse>> Send(
        RequestOperation operation,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    );

    /// <summary>The outcome of a run: an error, or a value (which may be <c>null</c> midway).</summary>
    internal readonly record struct Outcome(KlaviyoError? Error, object? Value);

    /// <summary>Where a sequence is: the values so far and the index of the item running now.</summary>
    private sealed class SequenceFrame(ManyStep step)
    {
        public ManyStep Step { get; } = step;
        public object?[] Values { get; } = new object?[step.Items.Length];
        public int Index { get; set; }
    }

    public static async Task<Outcome> RunAsync(
        Step root,
        Send send,
        Wait wait,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    )
    {
        var frames = new Stack<object>();
        var current = root;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
                return new(new KlaviyoError.Cancelled { Attempts = 0 }, null);

            object? value;
            switch (current)
            {
                case PureStep pure:
                    value = pure.Value;
                    break;
                case OptionsStep:
                    value = options;
                    break;
                case WaitStep waitStep:
                    if (waitStep.Delay > TimeSpan.Zero)
                    {
                        try
                        {
                            await wait(waitStep.Delay, options, cancellationToken)
                                .ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                            when (cancellationToken.IsCancellationRequested)
                        {
                            return new(new KlaviyoError.Cancelled { Attempts = 0 }, null);
                        }
                    }
                    value = LanguageExt.Unit.Default;
                    break;
                case FailStep fail:
                    return new(fail.Error, null);
                case SendStep sendStep:
                {
                    // Awaiting a completed task continues inline in this frame: no recursion either way.
                    var sent = await send(sendStep.Operation, options, cancellationToken)
                        .ConfigureAwait(false);
                    var (error, response) = sent.Match(
                        r => ((KlaviyoError?)null, (object?)r),
                        e => (e, null)
                    );
                    if (error is not null)
                        return new(error, null);
                    value = response;
                    break;
                }
                case ThenStep then:
                    frames.Push(then);
                    current = then.Source;
                    continue;
                case ManyStep { Items.Length: 0 } empty:
                    value = empty.Collect([]);
                    break;
                case ManyStep { MaxDegree: null } sequence:
                    frames.Push(new SequenceFrame(sequence));
                    current = sequence.Items[0];
                    continue;
                case ManyStep { MaxDegree: int maxDegree } parallel:
                {
                    var all = await RunParallelAsync(
                            parallel,
                            maxDegree,
                            send,
                            wait,
                            options,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                    if (all.Error is not null)
                        return all;
                    value = all.Value;
                    break;
                }
                default:
                    throw new InvalidOperationException($"unknown step {current.GetType().Name}");
            }

            // Feed the value to the waiting continuations until one of them names a next step.
            Step? next = null;
            while (next is null && frames.Count > 0)
            {
                switch (frames.Pop())
                {
                    case ThenStep then:
                        next = then.Continue(value, out value);
                        break;
                    case SequenceFrame sequence:
                        sequence.Values[sequence.Index++] = value;
                        if (sequence.Index < sequence.Values.Length)
                        {
                            frames.Push(sequence);
                            next = sequence.Step.Items[sequence.Index];
                        }
                        else
                            value = sequence.Step.Collect(sequence.Values);
                        break;
                }
            }
            if (next is null)
                return new(null, value);
            current = next;
        }
    }

    private static async Task<Outcome> RunParallelAsync(
        ManyStep step,
        int maxDegree,
        Send send,
        Wait wait,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    )
    {
        var items = step.Items;
        var values = new object?[items.Length];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        KlaviyoError? firstError = null;
        var taken = -1;

        async Task Work()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref taken);
                if (i >= items.Length)
                    return;
                Outcome outcome;
                try
                {
                    outcome = await RunAsync(items[i], send, wait, options, stop.Token)
                        .ConfigureAwait(false);
                }
                catch
                {
                    // A caller's function threw: stop the others, then let the exception surface.
                    stop.Cancel();
                    throw;
                }
                if (outcome.Error is not null)
                {
                    // The first error wins; the others were most likely caused by the cancel below.
                    Interlocked.CompareExchange(ref firstError, outcome.Error, null);
                    stop.Cancel();
                    return;
                }
                values[i] = outcome.Value;
            }
        }

        var workers = new Task[Math.Min(maxDegree, items.Length)];
        for (var w = 0; w < workers.Length; w++)
            workers[w] = Work();
        await Task.WhenAll(workers).ConfigureAwait(false);
        if (firstError is not null)
            return new(firstError, null);
        if (cancellationToken.IsCancellationRequested)
            return new(new KlaviyoError.Cancelled { Attempts = 0 }, null);
        return new(null, step.Collect(values));
    }
}

using LanguageExt;

namespace Klaviyo;

// The untyped program tree behind Operation<A>. Typed subclasses hold the caller's functions, so the runner works on
// object values without extra closures, and every case is a constant-size node: building a chain of a million binds
// allocates a million small nodes and never recurses.

/// <summary>One node of a program. The runner walks these with an explicit stack of continuations.</summary>
internal abstract class Step
{
    /// <summary>A short, non-recursive description of this node.</summary>
    public abstract string Describe();
}

/// <summary>A value, no request.</summary>
internal sealed class PureStep(object? value) : Step
{
    public object? Value { get; } = value;

    public override string Describe() => "pure value";
}

/// <summary>The options the program runs with (a reader step; the runner answers it).</summary>
internal sealed class OptionsStep : Step
{
    public static readonly OptionsStep Instance = new();

    public override string Describe() => "the options it runs with";
}

/// <summary>A failure: the program stops here with <see cref="Error"/>.</summary>
internal sealed class FailStep(KlaviyoError error) : Step
{
    public KlaviyoError Error { get; } = error;

    public override string Describe() => $"fail ({Error.GetType().Name}: {Error.Message})";
}

/// <summary>Send one request; its value is the <see cref="KlaviyoResponse"/>.</summary>
internal sealed class SendStep(RequestOperation operation) : Step
{
    public RequestOperation Operation { get; } = operation;

    public override string Describe() => $"send {Operation}";
}

/// <summary>
/// Run <see cref="Source"/>, then continue with its value. The runner pushes the node itself as the continuation
/// frame, so a left-nested chain costs one stack entry (on the heap) per node.
/// </summary>
internal abstract class ThenStep(Step source) : Step
{
    public Step Source { get; } = source;

    /// <summary>Continues with <paramref name="value"/>: returns the next step to run, or <c>null</c> with the value in <paramref name="result"/>.</summary>
    public abstract Step? Continue(object? value, out object? result);

    public override string Describe() => "continuation";
}

/// <summary>Apply a function to the value.</summary>
internal sealed class MapStep<A, B>(Step source, Func<A, B> map) : ThenStep(source)
{
    public override Step? Continue(object? value, out object? result)
    {
        result = map((A)value!);
        return null;
    }
}

/// <summary>Choose the next operation from the value.</summary>
internal sealed class BindStep<A, B>(Step source, Func<A, Operation<B>> bind) : ThenStep(source)
{
    public override Step? Continue(object? value, out object? result)
    {
        result = null;
        var next =
            bind((A)value!) ?? throw new InvalidOperationException("a Bind function returned null");
        return next.Step;
    }
}

/// <summary>Waits, then yields unit.</summary>
internal sealed class WaitStep(TimeSpan delay) : Step
{
    public TimeSpan Delay { get; } = delay;

    public override string Describe() => $"wait {Delay}";
}

/// <summary>A step that may fail without a request, e.g. decoding a response.</summary>
internal sealed class BindEitherStep<A, B>(Step source, Func<A, Either<KlaviyoError, B>> bind)
    : ThenStep(source)
{
    public override Step? Continue(object? value, out object? result)
    {
        var either = bind((A)value!);
        if (either.IsBottom)
            throw new InvalidOperationException("a Bind function returned an uninitialised Either");
        var (error, next) = either.Match(
            right => ((KlaviyoError?)null, (object?)right),
            left => (left, null)
        );
        result = next;
        return error is null ? null : new FailStep(error);
    }
}

/// <summary>Several independent steps whose values are collected in input order.</summary>
internal abstract class ManyStep(Step[] items, int? maxDegree) : Step
{
    public Step[] Items { get; } = items;

    /// <summary>How many items may run at once; <c>null</c> for a sequence (one after another, in the runner's loop).</summary>
    public int? MaxDegree { get; } = maxDegree;

    /// <summary>Builds the typed result from the values, in input order.</summary>
    public abstract object Collect(object?[] values);
}

/// <summary>Run the items one after another; the first error stops the rest.</summary>
internal sealed class SequenceStep<A>(Step[] items) : ManyStep(items, null)
{
    public override object Collect(object?[] values) => Values<A>.Of(values);

    public override string Describe() => $"sequence of {Items.Length}";
}

/// <summary>Run the items at most <c>maxDegree</c> at a time; the first error stops the rest.</summary>
internal sealed class ParallelStep<A>(Step[] items, int maxDegree) : ManyStep(items, maxDegree)
{
    public override object Collect(object?[] values) => Values<A>.Of(values);

    public override string Describe() =>
        $"parallel of {Items.Length}, at most {MaxDegree} at a time";
}

internal static class Values<A>
{
    public static Seq<A> Of(object?[] values)
    {
        var typed = new A[values.Length];
        for (var i = 0; i < values.Length; i++)
            typed[i] = (A)values[i]!;
        return Prelude.toSeq(typed);
    }
}

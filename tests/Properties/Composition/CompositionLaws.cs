using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Composition;

/// <summary>
/// Operation&lt;A&gt; is a lawful monad as observed by running it: two programs are equal when they give the same
/// result and send the same requests in the same order.
/// </summary>
public class CompositionLaws
{
    /// <summary>One step of a generated program, applied to the running total.</summary>
    public abstract record Instr
    {
        public sealed record Add(int N) : Instr
        {
            public override string ToString() => $"+{N}";
        }

        public sealed record Send(int Status) : Instr
        {
            public override string ToString() => $"send {Status}";
        }

        public sealed record Fail : Instr
        {
            public override string ToString() => "fail";
        }
    }

    public sealed record Spec(Instr[] Steps)
    {
        public override string ToString() =>
            "[" + string.Join(", ", Steps.Select(s => s.ToString())) + "]";
    }

    private static readonly Gen<Instr> InstrGen = Gen.Frequency(
        (3, Gen.Choose(-5, 5).Select(n => (Instr)new Instr.Add(n))),
        (3, Gen.Elements(200, 201, 204).Select(s => (Instr)new Instr.Send(s))),
        (1, Gen.Elements(404, 500).Select(s => (Instr)new Instr.Send(s))),
        (1, Gen.Constant((Instr)new Instr.Fail()))
    );

    private static readonly Gen<Spec> SpecGen = Gen.ListOf(InstrGen)
        .Select(l => new Spec(l.Take(6).ToArray()));

    private static readonly Arbitrary<(Spec, Spec, Spec, int)> Triples = (
        from a in SpecGen
        from b in SpecGen
        from c in SpecGen
        from start in Gen.Choose(-100, 100)
        select (a, b, c, start)
    ).ToArbitrary();

    /// <summary>The program a spec describes, starting from <paramref name="start"/>. Sends name the total in the URL.</summary>
    private static Operation<int> Build(Spec spec, int start)
    {
        var op = Operation.Pure(start);
        foreach (var step in spec.Steps)
            op = op.Bind(x => Apply(step, x));
        return op;
    }

    private static Operation<int> Apply(Instr step, int x) =>
        step switch
        {
            Instr.Add a => Operation.Pure(x + a.N),
            Instr.Send s => Operation
                .Send(new RequestOperation(HttpMethod.Get, $"/api/s{s.Status}/{x}"))
                .Map(r => x + r.StatusCode),
            _ => Operation.Fail<int>(new KlaviyoError.Validation(Seq1($"failed at {x}"))),
        };

    /// <summary>Runs a program on a fresh stub that answers /api/s{status}/… with that status.</summary>
    private static (string Result, string[] Calls) Observe<A>(Operation<A> program)
    {
        var stub = Interpreter.Stub(r => StubResponse.Status(int.Parse(r.Url.Split('/')[4][1..])));
        var options = new KlaviyoOptions { ApiKey = "pk_test_0123456789abcdef", Client = stub };
        var result = Task.Run(() => program.RunAsync(options)).GetAwaiter().GetResult();
        return (
            result.Match(v => $"value {Show(v)}", e => $"{e.GetType().Name}: {e.Message}"),
            stub.Calls.Select(c => c.Url).ToArray()
        );
    }

    private static string Show<A>(A value) =>
        value is Seq<int> xs ? "[" + string.Join(",", xs) + "]" : $"{value}";

    private static Property Same<A>(Operation<A> left, Operation<A> right)
    {
        var l = Observe(left);
        var r = Observe(right);
        return (l.Result == r.Result && l.Calls.SequenceEqual(r.Calls)).Label(
            $"left: {l.Result} via [{string.Join(" ", l.Calls)}]; right: {r.Result} via [{string.Join(" ", r.Calls)}]"
        );
    }

    [Property(MaxTest = 150)]
    public Property Left_identity() =>
        Prop.ForAll(
            Triples,
            t => Same(Operation.Pure(t.Item4).Bind(x => Build(t.Item1, x)), Build(t.Item1, t.Item4))
        );

    [Property(MaxTest = 150)]
    public Property Right_identity() =>
        Prop.ForAll(
            Triples,
            t => Same(Build(t.Item1, t.Item4).Bind(Operation.Pure), Build(t.Item1, t.Item4))
        );

    [Property(MaxTest = 150)]
    public Property Associativity() =>
        Prop.ForAll(
            Triples,
            t =>
            {
                var (a, b, c, start) = t;
                var m = Build(a, start);
                return Same(
                    m.Bind(x => Build(b, x)).Bind(y => Build(c, y)),
                    m.Bind(x => Build(b, x).Bind(y => Build(c, y)))
                );
            }
        );

    [Property(MaxTest = 150)]
    public Property Map_composes_and_LINQ_agrees_with_Bind() =>
        Prop.ForAll(
            Triples,
            t =>
            {
                var (a, b, _, start) = t;
                var m = Build(a, start);
                var linq = from x in m from y in Build(b, x) select x * 31 + y;
                return Same(m.Map(x => x * 2).Map(x => x + 1), m.Map(x => x * 2 + 1))
                    .And(Same(linq, m.Bind(x => Build(b, x).Map(y => x * 31 + y))));
            }
        );

    [Property(MaxTest = 150)]
    public Property The_first_failing_step_stops_the_program_and_later_steps_send_nothing() =>
        Prop.ForAll(
            Triples,
            t =>
            {
                var (spec, _, _, start) = t;
                // The model: walk the steps until the first that fails.
                var total = start;
                var calls = new List<string>();
                string? error = null;
                foreach (var step in spec.Steps)
                {
                    if (step is Instr.Fail)
                    {
                        error = $"Validation: invalid request: failed at {total}";
                        break;
                    }
                    if (step is Instr.Send s)
                    {
                        calls.Add($"https://a.klaviyo.com/api/s{s.Status}/{total}");
                        if (s.Status >= 400)
                        {
                            error = $"Api: Klaviyo answered {s.Status}";
                            break;
                        }
                        total += s.Status;
                    }
                    if (step is Instr.Add add)
                        total += add.N;
                }
                var observed = Observe(Build(spec, start));
                var expected = error ?? $"value {total}";
                return (
                    observed.Result.StartsWith(expected, StringComparison.Ordinal)
                    && observed.Calls.SequenceEqual(calls)
                ).Label(
                    $"expected {expected} via {calls.Count} call(s); got {observed.Result} via {observed.Calls.Length}"
                );
            }
        );

    [Property(MaxTest = 100)]
    public Property Sequence_is_binding_in_order_and_Parallel_of_degree_one_is_Sequence() =>
        Prop.ForAll(
            Triples,
            t =>
            {
                var (a, b, c, start) = t;
                Operation<int>[] ops = [Build(a, start), Build(b, start + 1), Build(c, start + 2)];
                var folded = ops.Aggregate(
                    Operation.Pure(Seq<int>()),
                    (acc, op) => acc.Bind(xs => op.Map(x => xs.Add(x)))
                );
                return Same(Operation.Sequence(ops), folded)
                    .And(Same(Operation.Parallel(ops, maxDegree: 1), folded));
            }
        );

    [Property(MaxTest = 100)]
    public Property Parallel_of_successful_programs_yields_the_Sequence_values_in_input_order() =>
        Prop.ForAll(
            Triples,
            t =>
            {
                var (a, b, c, start) = t;
                Spec Ok(Spec s) =>
                    new(
                        s.Steps.Where(i => i is Instr.Add or Instr.Send { Status: < 400 }).ToArray()
                    );
                Operation<int>[] ops =
                [
                    Build(Ok(a), start),
                    Build(Ok(b), start + 1),
                    Build(Ok(c), start + 2),
                ];
                var sequential = Observe(Operation.Sequence(ops));
                var parallel = Observe(Operation.Parallel(ops, maxDegree: 3));
                return (
                    sequential.Result == parallel.Result
                    && sequential.Calls.Order().SequenceEqual(parallel.Calls.Order())
                ).Label($"sequence {sequential.Result}, parallel {parallel.Result}");
            }
        );
}

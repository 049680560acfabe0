using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Klaviyo.Codegen;

namespace Klaviyo.Tests.Models;

/// <summary>
/// The pre-send body check against the spec's request schemas: a body synthesized from every JSON request body
/// schema (the spec has no whole-body examples; <see cref="ExampleSynthesizer"/> uses its member examples) passes,
/// and targeted mutations fail with the path: a wrong resource <c>type</c>, a missing required member, a value of the
/// wrong JSON type, a top-level array.
/// </summary>
public class RequestBodyCheckProperties
{
    public enum Mutation
    {
        WrongTypeConstant,
        MissingRequiredMember,
        WrongJsonType,
        TopLevelArray,
    }

    public sealed record Sample(string OperationId, string Schema, JsonNode Example)
    {
        public override string ToString() => $"{OperationId} ({Schema})";
    }

    private static readonly Lazy<IReadOnlyList<Sample>> Samples = new(Load);

    private static IReadOnlyList<Sample> Load()
    {
        var repository = Generator.FindRepository(AppContext.BaseDirectory)!;
        var path = Environment.GetEnvironmentVariable("KLAVIYO_OPENAPI_SPEC") is { Length: > 0 } env
            ? env
            : Generator.DefaultSpecPath(repository);
        var text = File.ReadAllText(path);
        using var doc = JsonDocument.Parse(text);
        var examples = new ExampleSynthesizer(doc.RootElement);
        // A recursive schema (a form's steps hold steps) cannot be filled completely: its example is cut at some
        // depth, leaving required members out. Such schemas are the ones whose example grows with the depth.
        bool Complete(string schema) =>
            examples.Of(schema, 1, 30).Json.ToJsonString()
            == examples.Of(schema, 1, 31).Json.ToJsonString();
        return Spec.Parse(text)
            .Operations.Where(op =>
                RequestSchemas.Of(op.OperationId) is { } schema && Complete(schema)
            )
            .Select(op => new Sample(
                op.OperationId,
                RequestSchemas.Of(op.OperationId)!,
                examples.Of(RequestSchemas.Of(op.OperationId)!, 1, 30).Json
            ))
            .ToList();
    }

    private static LanguageExt.Seq<string> Check(Sample sample, JsonNode body) =>
        RequestBodyCheck.Problems(
            sample.Schema,
            JsonDocument.Parse(body.ToJsonString()).RootElement
        );

    [SpecProperty(MaxTest = 100)]
    public Property Every_synthesized_spec_body_passes_the_check() =>
        Prop.ForAll(
            Gen.Elements(Samples.Value.ToArray()).ToArbitrary(),
            sample =>
                Check(sample, sample.Example)
                    .IsEmpty.Label($"{sample}: {string.Join("; ", Check(sample, sample.Example))}")
        );

    [SpecProperty(MaxTest = 1)]
    public Property Every_operation_with_a_json_body_has_a_schema_and_its_synthesized_body_passes() =>
        Prop.ForAll(
            Gen.Constant(0).ToArbitrary(),
            _ =>
            {
                var failures = Samples
                    .Value.Select(s => (s, Problems: Check(s, s.Example)))
                    .Where(x => !x.Problems.IsEmpty)
                    .Select(x => $"{x.s}: {string.Join("; ", x.Problems)}")
                    .ToList();
                return (Samples.Value.Count >= 110 && failures.Count == 0).Label(
                    $"{Samples.Value.Count} schemas; failing: {string.Join(" | ", failures.Take(10))}"
                );
            }
        );

    [SpecProperty(MaxTest = 300)]
    public Property A_targeted_mutation_fails_with_its_path() =>
        Prop.ForAll(
            (
                from sample in Gen.Elements(Samples.Value.ToArray())
                from mutation in Gen.Elements(Enum.GetValues<Mutation>())
                select (sample, mutation)
            ).ToArbitrary(),
            x =>
            {
                var (sample, mutation) = x;
                var (body, path) = Mutate(sample.Example.DeepClone(), mutation);
                if (body is null)
                    return true.Label("not applicable");
                var problems = string.Join("; ", Check(sample, body));
                return problems
                    .Contains(path, StringComparison.Ordinal)
                    .Label($"{sample} {mutation}: expected a problem at {path}, got [{problems}]");
            }
        );

    // The mutated body and the path the problem must name; null when the mutation does not apply.
    private static (JsonNode? Body, string Path) Mutate(JsonNode body, Mutation mutation)
    {
        var root = body as JsonObject;
        switch (mutation)
        {
            case Mutation.TopLevelArray:
                return (new JsonArray(1, 2), "the body: expected an object, got an array");
            case Mutation.MissingRequiredMember:
                if (root?.ContainsKey("data") != true)
                    return (null, "");
                root.Remove("data");
                return (root, "data: required member missing");
            case Mutation.WrongJsonType:
                if (root?.ContainsKey("data") != true)
                    return (null, "");
                root["data"] = true;
                return (root, "data: expected");
            case Mutation.WrongTypeConstant:
                var data = root?["data"];
                var resource =
                    data is JsonArray a && a.Count > 0 ? a[0] as JsonObject : data as JsonObject;
                if (resource?["type"] is not JsonValue)
                    return (null, "");
                resource["type"] = "not-a-klaviyo-type";
                return (
                    root,
                    data is JsonArray ? "data[0].type: expected " : "data.type: expected "
                );
        }
        return (null, "");
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Klaviyo.Codegen;

namespace Klaviyo.Tests.Models;

/// <summary>
/// Mutated spec examples of every success response decode leniently: additive and lenient changes (an unknown
/// member, an unknown enum value, <c>null</c> anywhere, a number sent as a string) always decode, a real shape
/// mismatch is a decode error naming its path, and nothing ever throws. The spec has no whole-response examples, so
/// each is synthesized from its schema, using the spec's member examples (<see cref="ExampleSynthesizer"/>).
/// </summary>
public class ModelLeniencyProperties
{
    public enum Change
    {
        UnknownMember,
        UnknownEnumValue,
        Null,
        NumberAsString,
        ShapeMismatch,
        Garbage,
    }

    public sealed record Sample(string OperationId, Type Model, Example Example);

    public sealed record Mutated(Sample Sample, ExampleSlot Slot, Change Change, JsonNode Json)
    {
        public override string ToString() =>
            $"{Sample.OperationId} ({Sample.Model.Name}): {Change} at {Slot.Path} ({Slot.Kind})";
    }

    private const string UnknownValue = "value_from_the_future";

    private static readonly Lazy<IReadOnlyList<Sample>> Samples = new(Load);

    private static readonly string? SpecPath = LocateSpec();

    /// <summary>Whether the spec file is there.</summary>
    public static bool HasSpec => SpecPath is not null;

    private static string? LocateSpec()
    {
        var repository = Generator.FindRepository(AppContext.BaseDirectory);
        var path =
            Environment.GetEnvironmentVariable("KLAVIYO_OPENAPI_SPEC") is { Length: > 0 } env ? env
            : repository is null ? null
            : Generator.DefaultSpecPath(repository);
        return path is not null && File.Exists(path) ? path : null;
    }

    private static IReadOnlyList<Sample> Load()
    {
        var text = File.ReadAllText(SpecPath!);
        using var doc = JsonDocument.Parse(text);
        var examples = new ExampleSynthesizer(doc.RootElement);
        return Spec.Parse(text)
            .Operations.Where(op => op.ResponseSchemaName is not null)
            .DistinctBy(op => op.ResponseSchemaName)
            .Select(op => new Sample(
                op.OperationId,
                OperationModels.Response(op.OperationId)!,
                examples.Of(op.ResponseSchemaName!, items: 2)
            ))
            .ToList();
    }

    private static bool Applies(Change change, ExampleSlot slot) =>
        change switch
        {
            Change.UnknownMember => slot.Kind == ExampleKind.Record,
            Change.UnknownEnumValue => slot.Kind == ExampleKind.Enum,
            Change.Null => slot.Path != "$",
            Change.NumberAsString => slot.Kind is ExampleKind.Integer or ExampleKind.Number,
            // A value of another shape where a union's case sits is that union's unknown case, not an error.
            Change.ShapeMismatch => slot.Kind == ExampleKind.Record
                && slot.Path != "$"
                && !slot.UnionCase,
            _ => true,
        };

    private static Gen<Mutated> Mutations(params Change[] changes) =>
        from sample in Gen.Elements(Samples.Value.ToArray())
        from change in Gen.Elements(changes)
        let slots = sample.Example.Slots.Where(s => Applies(change, s)).ToArray()
        where slots.Length > 0
        from slot in Gen.Elements(slots)
        from garbage in Garbage()
        select new Mutated(sample, slot, change, Apply(sample.Example.Json, slot, change, garbage));

    private static Gen<JsonNode?> Garbage() =>
        Gen.OneOf(
            Gen.Constant<JsonNode?>(null),
            ArbMap.Default.GeneratorFor<int>().Select(i => (JsonNode?)JsonValue.Create(i)),
            ArbMap
                .Default.GeneratorFor<NonNull<string>>()
                .Select(s => (JsonNode?)JsonValue.Create(s.Get)),
            Gen.Elements<JsonNode?>(true, false, 1.5e300, -0.0),
            Gen.Constant<JsonNode?>(new JsonObject { ["x"] = new JsonArray(1, "2", null) }),
            Gen.Constant<JsonNode?>(new JsonArray(new JsonObject(), new JsonArray()))
        );

    private static JsonNode Apply(
        JsonNode example,
        ExampleSlot slot,
        Change change,
        JsonNode? garbage
    )
    {
        var json = example.DeepClone();
        var (node, parent, member, index) = ExampleSynthesizer.Find(json, slot.Path);
        JsonNode? replacement = change switch
        {
            Change.UnknownMember => null,
            Change.UnknownEnumValue => UnknownValue,
            Change.Null => null,
            Change.NumberAsString => node!.ToJsonString(),
            Change.ShapeMismatch => new JsonArray(1, 2),
            _ => garbage?.DeepClone(),
        };
        if (change == Change.UnknownMember)
        {
            ((JsonObject)node!)["member_from_the_future"] = new JsonObject
            {
                ["nested"] = new JsonArray(1, "two", null),
            };
            return json;
        }
        if (parent is null)
            return replacement ?? JsonValue.Create(0);
        if (member is not null)
            parent[member] = replacement;
        else
            parent[index] = replacement;
        return json;
    }

    private static LanguageExt.Either<KlaviyoError, object> Decode(Mutated m) =>
        ModelJson.Decode(m.Sample.Model, Encoding.UTF8.GetBytes(m.Json.ToJsonString()));

    [SpecProperty(MaxTest = 300)]
    public Property Additive_and_lenient_changes_to_any_success_response_decode() =>
        Prop.ForAll(
            Mutations(
                    Change.UnknownMember,
                    Change.UnknownEnumValue,
                    Change.Null,
                    Change.NumberAsString
                )
                .ToArbitrary(),
            m =>
                Decode(m)
                    .Match(
                        value =>
                            m.Change != Change.UnknownEnumValue
                            // The unknown value is kept: writing the value back sends it again.
                            || Encoding
                                .UTF8.GetString(ModelJson.Encode(m.Sample.Model, value))
                                .Contains(UnknownValue),
                        _ => false
                    )
                    .Label(m.ToString())
        );

    [SpecProperty(MaxTest = 200)]
    public Property A_shape_mismatch_is_a_decode_error_naming_its_path() =>
        Prop.ForAll(
            Mutations(Change.ShapeMismatch).ToArbitrary(),
            m =>
                Decode(m)
                    .Match(
                        _ => false,
                        e =>
                            e is KlaviyoError.Decode
                            && e.Message.Contains($"at {m.Slot.Path}: expected ")
                    )
                    .Label(m + " → " + Decode(m).Match(_ => "decoded", e => e.Message))
        );

    [SpecProperty(MaxTest = 300)]
    public Property No_change_makes_decoding_throw_and_every_failure_names_a_path() =>
        Prop.ForAll(
            Mutations(Enum.GetValues<Change>()).ToArbitrary(),
            m =>
                Decode(m)
                    .Match(
                        _ => true,
                        e => e.Message.StartsWith("undecodable response (status 0): at $")
                    )
                    .Label(m + " → " + Decode(m).Match(_ => "decoded", e => e.Message))
        );
}

/// <summary>A property that needs the spec file: skipped, with the reason shown, when the file is absent.</summary>
public sealed class SpecPropertyAttribute : PropertyAttribute
{
    public SpecPropertyAttribute()
    {
        if (!ModelLeniencyProperties.HasSpec)
            Skip =
                "the Klaviyo OpenAPI spec was not found (set KLAVIYO_OPENAPI_SPEC or put it at ../shared/klaviyo-openapi/stable.json beside the repository)";
    }
}

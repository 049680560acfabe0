using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Klaviyo.Tests.DryRun;

/// <summary>The schema-shaped dry answer of a single-resource read carries the requested id, whatever it is, and still decodes.</summary>
public class SchemaDryRunProperties
{
    // The typed reads of one resource: GET of a path ending in its id.
    private static readonly CatalogEntry[] Reads =
    [
        .. OperationCatalog.All.Where(e =>
            e.Method == HttpMethod.Get
            && e.PathTemplate.EndsWith('}')
            && e.PathParameters.Count == 1
            && !e.QueryParameters.Exists(q => q.Required)
            && OperationModels.Response(e.OperationId) is not null
        ),
    ];

    private static readonly string[] Pieces =
    [
        "a",
        "Z",
        "0",
        "-",
        "_",
        ".",
        " ",
        "/",
        "%",
        "é",
        "中",
        "'",
    ];

    [Property(MaxTest = 100)]
    public Property A_read_answers_with_the_id_of_its_path_and_decodes_into_its_typed_response() =>
        Prop.ForAll(
            Gen.Choose(0, Reads.Length - 1)
                .Zip(
                    Gen.ArrayOf(Gen.Elements(Pieces))
                        // Any id a path segment can hold: "." and ".." would leave it, and building refuses them.
                        .Where(p => p.Length > 0 && string.Concat(p) is not ("." or ".."))
                )
                .ToArbitrary(),
            input =>
            {
                var (index, pieces) = input;
                var entry = Reads[index];
                var id = string.Concat(pieces);
                var request = RequestBuilder
                    .Build(
                        Generated.Operation(
                            entry.OperationId,
                            entry.Method,
                            entry.PathTemplate,
                            id
                        ),
                        new KlaviyoOptions { ApiKey = "pk_PROPERTY_DRYRUN" }
                    )
                    .Match(r => r, e => throw new InvalidOperationException(e.ToString()));

                var answer = DryRunResponder.FromSchema().Respond(request);

                var answered = JsonDocument
                    .Parse(answer.Body)
                    .RootElement.GetProperty("data")
                    .GetProperty("id")
                    .GetString();
                var decodes = ModelJson
                    .Decode(OperationModels.Response(entry.OperationId)!, answer.Body)
                    .IsRight;
                return (
                    answered == id && decodes && answer.StatusCode == entry.SuccessStatus
                ).Label($"{entry.OperationId} id={id}: answered {answered}, decodes {decodes}");
            }
        );
}

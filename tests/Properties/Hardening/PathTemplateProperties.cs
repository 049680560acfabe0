using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Issue 11 #7: any template string and any values expand without throwing; a template with unbalanced or odd braces
/// always leaves a problem behind, so it can never be sent.
/// </summary>
public class PathTemplateProperties
{
    private static Gen<string?> Templates() =>
        Gen.OneOf<string?>(
            ArbMap.Default.GeneratorFor<string>().Select(s => (string?)s),
            Gen.Elements(
                    "/api/",
                    "{",
                    "}",
                    "id",
                    "{id}",
                    "{}",
                    "/",
                    "..",
                    "\ud800",
                    "%",
                    "?",
                    "{{",
                    "}}"
                )
                .ListOf()
                .Select(l => (string?)string.Concat(l))
        );

    private static Gen<string?[]?> Values() =>
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string?[]>().Select(a => (string?[]?)a),
            Gen.Constant<string?[]?>(null)
        );

    /// <summary>Braces pair up, one level deep, with a name inside each pair.</summary>
    private static bool WellFormed(string template)
    {
        var open = -1;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{')
            {
                if (open >= 0)
                    return false;
                open = i;
            }
            else if (template[i] == '}')
            {
                if (open < 0 || i == open + 1)
                    return false;
                open = -1;
            }
        }
        return open < 0;
    }

    [Property(MaxTest = 2_000)]
    public Property Any_template_and_values_expand_without_throwing_and_bad_braces_are_problems() =>
        Prop.ForAll(
            Templates().ToArbitrary(),
            Values().ToArbitrary(),
            (template, values) =>
            {
                var op = PathTemplate.Operation(HttpMethod.Get, template!, values!);
                var built = RequestBuilder.Build(op, new KlaviyoOptions { ApiKey = "pk_prop" });
                var flagged = template is null || !WellFormed(template);
                return (
                    (!flagged || !op.Problems.IsEmpty) && (op.Problems.IsEmpty || built.IsLeft)
                ).Label(
                    $"'{template}' [{string.Join("|", values ?? [])}]: {string.Join("; ", op.Problems)}"
                );
            }
        );
}

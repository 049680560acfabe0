namespace Klaviyo.Tests;

/// <summary>A filter an operation accepts, built from its catalog entry, for tests that must pass a required filter.</summary>
internal static class SampleFilter
{
    public static string For(CatalogEntry entry)
    {
        foreach (var field in entry.Filters)
        {
            if (
                field.SingleOperators.Contains("equals")
                && field.ValueType == "string"
                && field.ValueFormat is null
            )
            {
                var value = field.AllowedValues.HeadOrNone().IfNone("x");
                return Filter.Equals(field.Field, value);
            }
        }
        return "equals(id,\"x\")";
    }
}

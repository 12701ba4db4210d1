using System.ComponentModel.DataAnnotations;

namespace AWorld.Core;

/// <summary>Turns data-annotation failures into messages that name the full configuration key.</summary>
public static class OptionsErrors
{
    public static IEnumerable<string> DataAnnotations(object options, string section)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}");
    }
}

using System.Reflection;

namespace AtomicFiles.Tests.PublicApi;

/// <summary>
/// The C# compiler's documentation-comment ID of a type or member (<c>M:Ns.Type.Method(System.String)</c>), the key
/// of its entry in the XML documentation file.
/// </summary>
internal static class DocumentationId
{
    internal static string Of(MemberInfo member) => member switch
    {
        Type type => "T:" + TypeName(type),
        ConstructorInfo constructor => "M:" + TypeName(constructor.DeclaringType!) + ".#ctor" + Parameters(constructor),
        MethodInfo method => "M:" + TypeName(method.DeclaringType!) + "." + method.Name
            + (method.IsGenericMethod ? "``" + method.GetGenericArguments().Length : "") + Parameters(method),
        PropertyInfo property => "P:" + TypeName(property.DeclaringType!) + "." + property.Name,
        FieldInfo field => "F:" + TypeName(field.DeclaringType!) + "." + field.Name,
        EventInfo e => "E:" + TypeName(e.DeclaringType!) + "." + e.Name,
        _ => throw new ArgumentException($"No documentation ID for {member.MemberType} {member.Name}.", nameof(member)),
    };

    private static string Parameters(MethodBase method)
    {
        var parameters = method.GetParameters();
        return parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => ParameterType(p.ParameterType))) + ")";
    }

    private static string ParameterType(Type type) => type switch
    {
        { IsByRef: true } => ParameterType(type.GetElementType()!) + "@",
        { IsArray: true } => ParameterType(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]",
        { IsGenericParameter: true } => (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition,
        // A constructed parameter type drops the definition's arity suffix: List`1 → List{System.String}.
        { IsGenericType: true } => TypeName(type.GetGenericTypeDefinition()).Split('`')[0]
            + "{" + string.Join(",", type.GetGenericArguments().Select(ParameterType)) + "}",
        _ => TypeName(type),
    };

    private static string TypeName(Type type) => type.FullName!.Replace('+', '.');
}

/** Who may see and set the inspectorate's branding: administrators only (every report carries it). */
export const brandingRoute = { access: { roles: ['administrator'] as const } };

// Vitest setup: DOM matchers (toHaveTextContent, …) for every test file.
import '@testing-library/jest-dom/vitest';

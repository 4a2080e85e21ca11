import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { library } from './store/library.js';
import './styles.css';

// The header's counts and the gallery come from one store; start loading before the first render.
library.ensureLoaded();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

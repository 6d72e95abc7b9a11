// Entry point of the standalone app (index.html): the softphone element, nothing else.
import './components/softphone/softphone.ts';
